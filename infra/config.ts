/**
 * The deployment's settings, as one zod schema: the home of every default, bound and description. They are read
 * from the settings file (`gateway.config.json`, committed, or the file `-c config=<file>` names), and a
 * `-c key=value` on the command line overrides one of them: `-c` > file > default. Values given with `-c` arrive
 * as strings, so numbers, booleans, lists and objects are coerced here, and every value is checked, so a typo
 * fails the synth with one line naming where the setting came from, the key and the fix, instead of silently
 * deploying something else. The JSON Schema of the file is generated from this schema (`config-json-schema.ts`).
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { DestinationsSchema } from '../lib/destinations/settings.js';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from '../lib/secrets/max-age.js';
import { idempotencyTable } from '../lib/worker/idempotency-table.js';
import { retryPolicy } from '../lib/parking/retry-policy.js';
import { MEDIA_DEFAULTS, MEDIA_MAX_TIME_LIMIT_SECONDS } from '../lib/media/settings.js';
import { GatewayConfigError } from './config-error.js';
import { CONFIG_FILE_CONTEXT_KEY, GATEWAY_CONFIG_FILE, readSettingsFile, type SettingsFile } from './config-file.js';

export { GatewayConfigError } from './config-error.js';

/** Powertools log levels (`POWERTOOLS_LOG_LEVEL`) that Lambda's log-level filter can match. */
const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Where the docs describe the settings; every refusal ends with it. */
const settingsDocs = 'docs/deploying.md › Settings';

const allowedRetentionDays = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

// Deliberately loose: SNS validates the address and the recipient must confirm it anyway; this catches typos
// such as a missing `@` or a list passed where one address is expected.
const emailAddress = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

// A Secrets Manager ARN with its six-character suffix: `grantRead` on a partial ARN would need a wildcard.
const completeSecretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

const stackNamePattern = /^[A-Za-z][A-Za-z0-9-]*$/;
/** The alarm topic's display name is `<stackName> alarms`, and SNS allows 100 characters (Athena's workgroup, `<stackName>-archive`, 128). */
const maxStackNameLength = 100 - ' alarms'.length;

/** A DNS name in lower case, without a trailing dot: what API Gateway and ACM take. */
const domainNamePattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const certificateArnPattern = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const hostedZoneIdPattern = /^Z[0-9A-Z]{4,32}$/;
/** A host name of a media link, in lower case, or an IP literal: what the allow-list compares with the URL's host. */
const mediaHostPattern = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$|^[0-9a-f:.]+$/;

/** Lambda keeps this many of the account's concurrent executions unreserved; reservations beyond fail the deploy. */
const unreservedMinimum = 100;

/** `-c key=12` arrives as `"12"`; the file gives a number. Anything else is left for the schema to refuse. */
function numberFromString(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}

/** `-c key='{"a":1}'` arrives as a string; the file's values arrive parsed. */
function jsonFromString(value: unknown, context: z.RefinementCtx): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'is not valid JSON', input: value });
    return z.NEVER;
  }
}

/** An integer in `[min, max]`, from a number or its decimal string; one message for every way to miss. */
function integer(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.preprocess(numberFromString, z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}

/** `true`/`false`, as booleans (the file) or the exact words (`-c key=false`). */
function boolean() {
  const error = 'must be true or false';
  return z.union([z.boolean(), z.enum(['true', 'false']).transform((word) => word === 'true')], { error });
}

/** An optional string matching `pattern`; `''` (or only spaces) is the same as unset. */
function optionalText(pattern: RegExp, error: string) {
  return z.preprocess((value) => (typeof value === 'string' ? value.trim() || undefined : value), z.string({ error }).regex(pattern, { error }).optional()).optional();
}

/**
 * The schema of the settings, with the default, bounds and description of every key (the descriptions are the
 * JSON Schema's, shown by editors in `gateway.config.json`).
 *
 * @param providerSlugs - the slugs of the providers, to refuse a typo in a per-provider setting
 */
export function gatewayConfigSchema(providerSlugs: readonly string[]) {
  const unknownProvider = (value: string) => `names an unknown provider ${JSON.stringify(value)}; known: ${providerSlugs.join(', ')}`;
  const slug = z.string().refine((value) => providerSlugs.includes(value), { error: (issue) => unknownProvider(String(issue.input)) });
  /** An object by provider slug; an unknown slug is named (a record's key schema would only say "invalid key"). */
  const bySlug = <T extends z.ZodType>(value: T, error: string) =>
    z.record(z.string(), value, { error }).superRefine((record, context) => {
      for (const key of Object.keys(record)) {
        if (!providerSlugs.includes(key)) context.addIssue({ code: 'custom', path: [key], message: unknownProvider(key), input: key });
      }
    });
  /** Comma-separated `slug=value` pairs into an object; a JSON object or a bare value passes through. */
  const slugPairs = (value: unknown): unknown =>
    typeof value === 'string' && value.includes('=')
      ? Object.fromEntries(value.split(',').map((pair) => pair.split('=').map((part) => part.trim())))
      : value;

  return z
    .object({
      stackName: z
        .string()
        .regex(stackNamePattern, { error: `must match ${String(stackNamePattern)}` })
        .max(maxStackNameLength, {
          error: (issue) =>
            `must be at most ${maxStackNameLength} characters, since the alarm topic's display name "<stackName> alarms" may have 100 (this one has ${String((issue.input as string).length)})`,
        })
        .default('ChatWebhookGateway')
        .meta({ description: 'Name of the CloudFormation stack; another name deploys an independent copy (e.g. staging) to the same account. A letter, then letters, digits and dashes; at most 93 characters.' }),
      apiThrottleRateLimit: integer(1, 10_000).default(100).meta({ description: 'Steady requests per second the HTTP API accepts, all routes together; more get 429 and providers retry.' }),
      apiThrottleBurstLimit: integer(1, 5_000).default(200).meta({ description: 'Requests the API accepts in a burst above the steady rate; at least apiThrottleRateLimit.' }),
      logRetentionDays: z
        .preprocess(numberFromString, z.enum(RetentionDays, { error: `must be one of ${allowedRetentionDays.join(', ')}` }))
        .default(RetentionDays.ONE_MONTH)
        .meta({ description: "Days every log group (functions and API access logs) keeps its lines; one of CloudWatch's allowed day counts." }),
      logLevel: z
        .preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }))
        // WARN: a delivery and a processed event write no line of their own (about $0.40 per million deliveries, docs/costs.md).
        .default('WARN')
        .meta({
          description:
            "POWERTOOLS_LOG_LEVEL of every function, and Lambda's log-level filter (CRITICAL is Lambda's FATAL). WARN keeps rejections, failures, " +
            'parking and conflicts; INFO adds a line per accepted delivery and per processed event. Metrics are written at every level.',
        }),
      archiveRetentionDays: integer(1, 3650).default(365).meta({ description: 'Days the event archive keeps each archived batch before S3 deletes it.' }),
      archiveDelivery: z
        .enum(['firehose', 's3'], { error: 'must be "firehose" or "s3"' })
        .default('firehose')
        .meta({
          description:
            'How the worker archives each batch before any handler runs: "firehose" puts its events to an Amazon Data Firehose stream, which writes them ' +
            'to the archive bucket after its one-minute buffer (billed per 5 KB record); "s3" puts one object per batch (billed per PUT), in the bucket at once.',
        }),
      secretsMaxAgeSeconds: integer(0, 3600)
        .default(DEFAULT_SECRETS_MAX_AGE_SECONDS)
        .meta({ description: 'Seconds a receiver caches its secret before reading it again: how soon a new secret value is in use.' }),
      workerMaxConcurrency: integer(2, 1000).default(10).meta({ description: 'Most worker invocations at once; bounds the load on whatever the worker calls.' }),
      receiverReservedConcurrency: integer(1, 1000)
        .optional()
        .meta({
          description:
            'Concurrent executions reserved for each receiver: other functions of the account cannot take them, and the receiver cannot use more. ' +
            'Unset: no reservation. All receivers together must leave the account at least 100 unreserved (see accountConcurrencyLimit).',
        }),
      accountConcurrencyLimit: integer(10, 1_000_000)
        .default(1000)
        .meta({
          description:
            "The account's Lambda concurrent-executions quota in the region (Service Quotas › AWS Lambda › Concurrent executions), " +
            'against which receiverReservedConcurrency is checked.',
        }),
      secretArns: z
        .preprocess(
          jsonFromString,
          bySlug(
            z.string().regex(completeSecretArn, { error: 'must be a complete Secrets Manager ARN (ending in the six-character suffix)' }),
            'must be an object {"<provider>": "<secret ARN>"}',
          ),
        )
        .default({})
        .meta({
          description:
            'Existing Secrets Manager secrets to use instead of the ones the stack creates, by provider slug, as complete ARNs, ' +
            'e.g. {"qikchat": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:qikchat-webhook-AbCdEf"}. Such a secret is not deleted with the stack.',
        }),
      signatureVerificationDisabled: z
        .preprocess(
          (value, context) => {
            const parsed = jsonFromString(value, context);
            if (parsed === '') return [];
            return typeof parsed === 'string' ? parsed.split(',').map((part) => part.trim()) : parsed;
          },
          z.array(slug, { error: 'must be a list of provider slugs' }),
        )
        .default([])
        .meta({
          description:
            'DANGEROUS. Providers whose receiver accepts deliveries WITHOUT checking the signature or credentials: anyone who knows the URL ' +
            'can inject events. For a first test with a provider whose signing cannot be set up yet; never in production.',
        }),
      bundleAwsSdk: boolean().default(true).meta({ description: "Bundle the AWS SDK into each function (true) or use the Lambda runtime's copy (false)." }),
      detailedTracing: boolean()
        .default(false)
        .meta({ description: 'Bundle Powertools Tracer into the receivers for SendMessage and Secrets Manager subsegments in X-Ray (the worker always has it).' }),
      idempotencyDays: integer(1, 365)
        .default(idempotencyTable.defaultExpiryDays)
        .meta({
          description:
            "Days a handled event's idempotency record keeps a copy of it (a provider's late retry) from running its handler again; longer than your providers retry.",
        }),
      idempotencyTableRetained: boolean().default(true).meta({ description: 'Keep the idempotency table when the stack is deleted (false: delete it with the stack).' }),
      idempotencyCapacity: z
        .enum(['on-demand', 'provisioned'], { error: 'must be "on-demand" or "provisioned"' })
        .default('on-demand')
        .meta({
          description:
            'How the idempotency table is billed: "on-demand" (per request, no capacity to plan) or "provisioned" (auto scaling from 1 unit up to ' +
            'idempotencyMaxWriteUnits at 70 % use: under half the price per event at steady traffic, but a sudden burst is throttled, and retried, until it scales; docs/costs.md).',
        }),
      idempotencyMaxWriteUnits: integer(1, 40_000)
        .default(100)
        .meta({ description: 'With idempotencyCapacity "provisioned": the most units auto scaling may set, for writes and reads alike (each event takes one write and one consistent read; a unit is one of either a second).' }),
      retryAttempts: integer(1, 50)
        .default(retryPolicy.attempts)
        .meta({ description: "Runs of a failing event's handler before its conversation is parked (the first run included)." }),
      retryFirstDelaySeconds: integer(0, 43_200)
        .default(retryPolicy.firstDelaySeconds)
        .meta({ description: 'Seconds before the first retry of a failing event; each later retry waits retryBackoffRate times longer (at most 12 hours).' }),
      retryBackoffRate: z
        .preprocess(numberFromString, z.number({ error: 'must be a number from 1 to 10' }).min(1, { error: 'must be a number from 1 to 10' }).max(10, { error: 'must be a number from 1 to 10' }))
        .default(retryPolicy.backoffRate)
        .meta({ description: 'How much longer each retry of a failing event waits than the one before (1: always the first delay).' }),
      parkTableRetained: boolean()
        .default(true)
        .meta({ description: 'Keep the park table, with the conversations parked in it, when the stack is deleted (false: delete it with the stack).' }),
      alarmEmail: optionalText(emailAddress, 'must be one e-mail address').meta({
        description:
          'One e-mail address subscribed to the alarm topic (SNS mails a confirmation link first); "" for none: subscribe to the AlarmTopicArn topic yourself.',
      }),
      queueAgeAlarmSeconds: integer(60, 1_209_600)
        .default(300)
        .meta({ description: 'The queue-age alarm fires when the oldest event has waited this many seconds.' }),
      answerTimeAlarmMilliseconds: integer(100, 5_000)
        .default(1500)
        .meta({ description: 'The latency alarms fire when the p99 of the API latency or of a receiver duration reaches this many milliseconds; providers give up at 2000.' }),
      rejectedWebhooksAlarmThreshold: integer(1, 100_000)
        .default(10)
        .meta({ description: "A provider's rejected-webhooks alarm fires when this many of its deliveries are refused (401) within 5 minutes." }),
      silenceAlarmMinutes: z
        .preprocess(
          (value, context) => {
            const parsed = slugPairs(jsonFromString(value, context));
            const everyProvider = numberFromString(parsed);
            if (typeof everyProvider === 'number' && !Number.isNaN(everyProvider)) return Object.fromEntries(providerSlugs.map((provider) => [provider, everyProvider]));
            return parsed === '' ? {} : parsed;
          },
          bySlug(
            z.union([z.literal(0), z.literal('0')]).transform(() => undefined).or(integer(5, 1440)),
            'must be minutes (5 to 1440) for every provider, or per provider as slug=N,... or {"slug": N}',
          ),
        )
        .transform((bySlug) => Object.fromEntries(Object.entries(bySlug).filter((entry): entry is [string, number] => entry[1] !== undefined)))
        .default({})
        .meta({
          description:
            'A "provider went silent" alarm: fires when a provider sent nothing for this many minutes (5 to 1440). One number for every provider, ' +
            'or per provider, e.g. {"qikchat": 60, "chatzuri": 1440}; 0 turns one off. A few times the longest quiet spell your traffic normally has.',
        }),
      mediaStore: boolean()
        .default(true)
        .meta({
          description:
            "Store each event's attachment (Qikchat media, Qiscus files) in the archive bucket under media/ before its handler runs, so it outlives the provider's link (docs/media.md).",
        }),
      mediaMaxBytes: integer(1, 5 * 1024 ** 3)
        .default(MEDIA_DEFAULTS.maxBytes)
        .meta({ description: 'Largest attachment stored, in bytes (default 100 MiB); a larger one is not stored (stored null, too_large) and the event goes on.' }),
      mediaTimeLimitSeconds: integer(1, MEDIA_MAX_TIME_LIMIT_SECONDS)
        .default(MEDIA_DEFAULTS.timeLimitSeconds)
        .meta({
          description: `Seconds storing one event's attachment may take, retries included (at most ${String(MEDIA_MAX_TIME_LIMIT_SECONDS)}, what the worker's 60-second budget leaves); past it the event goes on with stored null (timeout).`,
        }),
      mediaAllowHosts: z
        .preprocess(
          jsonFromString,
          bySlug(
            z.array(z.string().regex(mediaHostPattern, { error: 'must be host names in lower case, e.g. ["media.qikchat.in"]' }), { error: 'must be a list of host names' }),
            'must be an object {"<provider>": ["host", ...]}',
          ),
        )
        .default({})
        .meta({
          description:
            'The only hosts a provider\'s media links (and their redirects) may reach, by provider slug, e.g. {"qikchat": ["media.qikchat.in"]}. ' +
            'A provider not named may reach any public https host; private, loopback and link-local addresses are refused either way.',
        }),
      destinations: z
        .preprocess(jsonFromString, DestinationsSchema)
        .default([])
        .meta({
          description:
            'Where the worker delivers events besides the code handlers, each once per event and in order per conversation: ' +
            '{"type": "https", "name", "url", "filter": {"providers": [globs], "types": [globs]}, "timeoutMs", "maxConcurrency", "circuitFailures", "circuitCoolDownSeconds", "allowAddresses"} ' +
            '(signed the Standard Webhooks way) or {"type": "eventbridge", "name", "busName", "filter"}. See docs/destinations.md.',
        }),
      destinationSecretArn: optionalText(completeSecretArn, 'must be a complete Secrets Manager ARN (ending in the six-character suffix)').meta({
        description:
          'An existing secret to sign HTTPS deliveries with instead of the one the stack creates: JSON {"current": "whsec_...", "previous": "whsec_..."}.',
      }),
      destinationFailuresAlarmThreshold: integer(1, 100_000)
        .default(10)
        .meta({ description: "A destination's failures alarm fires when this many of its tries fail within 5 minutes (an open circuit's fast failures included)." }),
      undeliveredAgeAlarmSeconds: integer(60, 1_209_600)
        .default(900)
        .meta({ description: "A destination's undelivered-age alarm fires when an event it failed to take was accepted this many seconds ago or more." }),
      domainName: optionalText(domainNamePattern, 'must be a DNS name in lower case, e.g. webhooks.example.com').meta({
        description:
          'A custom domain for the webhook URLs (https://<domainName>/webhooks/<provider>), so that they outlive the API. ' +
          'Needs certificateArn, or hostedZoneId and hostedZoneName; TLS 1.2 or later.',
      }),
      certificateArn: optionalText(certificateArnPattern, 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)').meta({
        description: "An ACM certificate in the stack's region that covers domainName. Without it, the stack creates one, validated in hostedZoneId.",
      }),
      hostedZoneId: optionalText(hostedZoneIdPattern, 'must be a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ').meta({
        description: "The Route 53 public hosted zone of domainName: the stack creates domainName's alias record in it, and its certificate unless certificateArn is set.",
      }),
      hostedZoneName: optionalText(domainNamePattern, 'must be the hosted zone\'s DNS name in lower case, e.g. example.com').meta({
        description: 'The DNS name of hostedZoneId, e.g. example.com; domainName must be in it.',
      }),
    })
    .superRefine((config, context) => {
      const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message, input: config[path as keyof typeof config] });
      if (config.apiThrottleBurstLimit < config.apiThrottleRateLimit) {
        issue('apiThrottleBurstLimit', `(${config.apiThrottleBurstLimit}) must be at least apiThrottleRateLimit (${config.apiThrottleRateLimit})`);
      }
      const reserved = (config.receiverReservedConcurrency ?? 0) * providerSlugs.length;
      if (config.receiverReservedConcurrency !== undefined && config.accountConcurrencyLimit - reserved < unreservedMinimum) {
        const most = Math.floor((config.accountConcurrencyLimit - unreservedMinimum) / providerSlugs.length);
        issue(
          'receiverReservedConcurrency',
          `(${config.receiverReservedConcurrency}) × ${providerSlugs.length} receivers reserves ${reserved} of the account's ${config.accountConcurrencyLimit} ` +
            `concurrent executions (accountConcurrencyLimit), and Lambda keeps ${unreservedMinimum} unreserved, so the deploy would roll back: ` +
            (most >= 1 ? `reserve at most ${most}` : 'reserve none') +
            ", or set accountConcurrencyLimit to the account's quota (Service Quotas › AWS Lambda › Concurrent executions)",
        );
      }
      for (const [index, destination] of config.destinations.entries()) {
        // In AWS only https leaves the gateway (PUBLIC_HTTPS_ONLY): an http URL would park every conversation.
        if (destination.type === 'https' && !destination.url.startsWith('https:')) {
          context.addIssue({ code: 'custom', path: ['destinations', index, 'url'], message: `of destination ${destination.name} must be https:// in AWS (http is for the local runtime only)`, input: destination.url });
        }
      }
      const { domainName, certificateArn, hostedZoneId, hostedZoneName } = config;
      if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
        issue(hostedZoneId === undefined ? 'hostedZoneName' : 'hostedZoneId', 'needs hostedZoneId and hostedZoneName together (the zone\'s id and its DNS name)');
      } else if (domainName === undefined && (certificateArn !== undefined || hostedZoneId !== undefined)) {
        issue(certificateArn === undefined ? 'hostedZoneId' : 'certificateArn', 'is for a custom domain: set domainName too');
      } else if (domainName !== undefined && certificateArn === undefined && hostedZoneId === undefined) {
        issue('domainName', 'needs certificateArn (an ACM certificate covering it) or hostedZoneId and hostedZoneName (the stack creates the certificate and the DNS record there)');
      } else if (domainName !== undefined && hostedZoneName !== undefined && domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
        issue('domainName', `(${domainName}) must be in the hosted zone ${hostedZoneName}`);
      }
    });
}

/** Everything about a deployment that an operator may change without touching code. */
export type GatewayConfig = z.output<ReturnType<typeof gatewayConfigSchema>>;

/** The defaults of {@link GatewayConfig}: what no file and no `-c` give. */
export const defaultGatewayConfig: GatewayConfig = gatewayConfigSchema([]).parse({});

/** The settings, in the schema's order. */
export const settingKeys = Object.keys(gatewayConfigSchema([]).shape) as (keyof GatewayConfig)[];

/** Where a setting's value came from. */
export type SettingSource = 'default' | 'file' | 'context';

/** The settings in effect, and where each came from. */
export interface GatewaySettings {
  readonly config: GatewayConfig;
  readonly sources: Readonly<Record<keyof GatewayConfig, SettingSource>>;
  /** The settings file read, if any (as named). */
  readonly file: string | undefined;
}

/** Options of {@link readGatewaySettings}. */
export interface ReadSettingsOptions {
  /** Where the settings file is looked for (relative `-c config=` names too). @default the current directory (the CLI runs the app in the project root) */
  readonly cwd?: string;
}

/** The one line for an issue: where the value came from, the key, what it accepts, what it got, and the fix. */
function describeIssue(issue: z.core.$ZodIssue | undefined, sources: GatewaySettings['sources'], file: SettingsFile | undefined, given: Record<string, unknown>): string {
  const key = String(issue?.path[0] ?? 'context') as keyof GatewayConfig;
  // A provider slug in the path says where; a list index does not.
  const detail = issue?.path.slice(1).filter((part) => typeof part === 'string') ?? [];
  const name = [key, ...detail].join('.');
  const problem = `${issue?.message ?? 'is invalid'}, got ${JSON.stringify(given[key])}`;
  const fileName = file?.name ?? GATEWAY_CONFIG_FILE;
  switch (sources[key]) {
    case 'file':
      return `${fileName}: ${name} ${problem}; fix it in ${fileName} (or override it with -c ${key}=...) (${settingsDocs})`;
    case 'context':
      return `context ${name} ${problem}; set it with -c ${key}=... (${settingsDocs})`;
    default:
      return `settings: ${name} ${issue?.message ?? 'is invalid'}; set it in ${fileName} or with -c ${key}=... (${settingsDocs})`;
  }
}

/**
 * Reads the settings: the settings file (`-c config=<file>`, else `gateway.config.json` if present), overridden
 * key by key by the context (`-c key=value`, and `cdk.context.json`), over the defaults.
 *
 * @param node - the construct node whose context is read (`app.node`, `stack.node`)
 * @param providerSlugs - the slugs of the providers, to reject a typo in a per-provider setting
 * @param options - where to look for the settings file
 * @throws GatewayConfigError when the file or a value cannot be used; its message is one line
 * @example
 * // cdk synth -c config=staging.config.json -c workerMaxConcurrency=20
 * const { config, sources } = readGatewaySettings(app.node, providers.map((provider) => provider.slug));
 */
export function readGatewaySettings(node: Node, providerSlugs: readonly string[], options: ReadSettingsOptions = {}): GatewaySettings {
  const file = readSettingsFile(node.tryGetContext(CONFIG_FILE_CONTEXT_KEY), settingKeys, options.cwd ?? process.cwd());
  const given: Record<string, unknown> = { ...file?.values };
  const sources = Object.fromEntries(settingKeys.map((key) => [key, file && key in file.values ? 'file' : 'default'])) as Record<keyof GatewayConfig, SettingSource>;
  for (const key of settingKeys) {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined) continue;
    given[key] = value;
    sources[key] = 'context';
  }
  const result = gatewayConfigSchema(providerSlugs).safeParse(given);
  if (!result.success) throw new GatewayConfigError(describeIssue(result.error.issues[0], sources, file, given), { cause: result.error });
  return { config: result.data, sources, file: file?.name };
}

/**
 * Reads the {@link GatewayConfig}: {@link readGatewaySettings} without where each came from.
 *
 * @throws GatewayConfigError when the file or a value cannot be used; its message is one line
 */
export function readGatewayConfig(node: Node, providerSlugs: readonly string[], options: ReadSettingsOptions = {}): GatewayConfig {
  return readGatewaySettings(node, providerSlugs, options).config;
}
