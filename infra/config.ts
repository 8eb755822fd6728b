/**
 * The deployment's settings, read from CDK context (`cdk.json`, `cdk.context.json` or `-c key=value`), as one
 * zod schema: the home of every default and bound. Values given with `-c` arrive as strings, so numbers,
 * booleans, lists and objects are coerced here, and every value is checked, so a typo fails the synth with one
 * line naming the setting instead of silently deploying something else.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from '../lib/secrets/max-age.js';
import { idempotencyTable } from '../lib/worker/idempotency-table.js';

/** Powertools log levels (`POWERTOOLS_LOG_LEVEL`) that Lambda's log-level filter can match. */
const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Thrown when a context value cannot be used; the message names the key, what it accepts and what it got. */
export class GatewayConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayConfigError';
  }
}

const allowedRetentionDays = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

// Deliberately loose: SNS validates the address and the recipient must confirm it anyway; this catches typos
// such as a missing `@` or a list passed where one address is expected.
const emailAddress = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

// A Secrets Manager ARN with its six-character suffix: `grantRead` on a partial ARN would need a wildcard.
const completeSecretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

const stackNamePattern = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** `-c key=12` arrives as `"12"`; `cdk.json` gives a number. Anything else is left for the schema to refuse. */
function numberFromString(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}

/** `-c key='{"a":1}'` arrives as a string; `cdk.json` values arrive parsed. */
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

/** `true`/`false`, as booleans (`cdk.json`) or the exact words (`-c key=false`). */
function boolean() {
  const error = 'must be true or false';
  return z.union([z.boolean(), z.enum(['true', 'false']).transform((word) => word === 'true')], { error });
}

/**
 * The schema of the settings, with the defaults and bounds of every key.
 *
 * @param providerSlugs - the slugs of the providers, to refuse a typo in a per-provider setting
 */
function gatewayConfigSchema(providerSlugs: readonly string[]) {
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
      /** Name of the CloudFormation stack; set it to deploy a second copy (e.g. staging) to the same account. */
      stackName: z.string().regex(stackNamePattern, { error: `must match ${String(stackNamePattern)}` }).default('ChatWebhookGateway'),
      /** Steady-state requests per second the HTTP API stage accepts, all routes together. */
      apiThrottleRateLimit: integer(1, 10_000).default(100),
      /** Requests the stage accepts in a burst above the steady rate. */
      apiThrottleBurstLimit: integer(1, 5_000).default(200),
      /** Retention of every log group (functions and API access logs); one of CloudWatch's allowed day counts. */
      logRetentionDays: z
        .preprocess(numberFromString, z.enum(RetentionDays, { error: `must be one of ${allowedRetentionDays.join(', ')}` }))
        .default(RetentionDays.ONE_MONTH),
      /** `POWERTOOLS_LOG_LEVEL` of every function (any case). */
      logLevel: z
        .preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }))
        .default('INFO'),
      /** Days the event archive keeps each archived batch before S3 deletes it. */
      archiveRetentionDays: integer(1, 3650).default(365),
      /** How long a receiver caches its secret before reading it again (`SECRETS_MAX_AGE_SECONDS`). */
      secretsMaxAgeSeconds: integer(0, 3600).default(DEFAULT_SECRETS_MAX_AGE_SECONDS),
      /** Most worker invocations the SQS event source runs at once (Lambda allows 2 to 1000). */
      workerMaxConcurrency: integer(2, 1000).default(10),
      /**
       * Concurrency reserved for each receiver: other functions of the account cannot take it, and the receiver
       * cannot use more. Undefined: no reservation (the receivers share the account's unreserved pool).
       */
      receiverReservedConcurrency: integer(1, 1000).optional(),
      /** Existing Secrets Manager secrets to use instead of creating one, by provider slug (complete ARNs). */
      secretArns: z
        .preprocess(
          jsonFromString,
          bySlug(
            z.string().regex(completeSecretArn, { error: 'must be a complete Secrets Manager ARN (ending in the six-character suffix)' }),
            'must be an object {"<provider>": "<secret ARN>"}',
          ),
        )
        .default({}),
      /**
       * DANGEROUS. Providers whose receiver accepts deliveries WITHOUT checking the signature or credentials
       * (`SIGNATURE_VERIFICATION=disabled`): anyone who knows the URL can inject events. For a first test with a
       * provider whose signing cannot be set up yet; never in production.
       */
      signatureVerificationDisabled: z
        .preprocess(
          (value, context) => {
            const parsed = jsonFromString(value, context);
            if (parsed === '') return [];
            return typeof parsed === 'string' ? parsed.split(',').map((part) => part.trim()) : parsed;
          },
          z.array(slug, { error: 'must be a list of provider slugs' }),
        )
        .default([]),
      /** Bundle the AWS SDK into each function (true) or use the copy in the Lambda runtime (false). */
      bundleAwsSdk: boolean().default(true),
      /** Bundle Powertools Tracer into the receivers for `SendMessage` and Secrets Manager subsegments. */
      detailedTracing: boolean().default(false),
      /**
       * Days a handled event's idempotency record short-circuits a copy of it (a provider's late retry): longer
       * than every provider retries. Copies after that run the handler again.
       */
      idempotencyDays: integer(1, 365).default(idempotencyTable.defaultExpiryDays),
      /** Keep the idempotency table when the stack is deleted (`false`: delete it with the stack). */
      idempotencyTableRetained: boolean().default(true),
      /** Keep the park table, with the conversations parked in it, when the stack is deleted (`false`: delete it with the stack). */
      parkTableRetained: boolean().default(true),
      /** E-mail address subscribed to the alarm topic; none when unset or `''` (subscribe later in the SNS console). */
      alarmEmail: z
        .preprocess(
          (value) => (typeof value === 'string' ? value.trim() || undefined : value),
          z.string({ error: 'must be one e-mail address' }).regex(emailAddress, { error: 'must be one e-mail address' }).optional(),
        )
        .optional(),
      /** Age of the oldest message in the main queue, in seconds, from which the queue-age alarm fires. */
      queueAgeAlarmSeconds: integer(60, 1_209_600).default(300),
      /**
       * p99 time to answer, in milliseconds, from which the latency alarms fire (receiver Duration and API
       * Latency); providers give up after 2 s.
       */
      answerTimeAlarmMilliseconds: integer(100, 5_000).default(1500),
      /** Deliveries of one provider refused (401) within 5 minutes from which the rejected-webhooks alarm fires. */
      rejectedWebhooksAlarmThreshold: integer(1, 100_000).default(10),
      /**
       * Minutes without a delivery after which a provider's silence alarm fires, by provider slug; a provider
       * missing here has no silence alarm. Given as one number for all providers (`60`), as `slug=N,...` or as
       * a JSON object; `0` (or `slug=0`) means none.
       */
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
        .default({}),
    })
    .refine((config) => config.apiThrottleBurstLimit >= config.apiThrottleRateLimit, {
      path: ['apiThrottleBurstLimit'],
      error: (issue) => {
        const { apiThrottleBurstLimit, apiThrottleRateLimit } = issue.input as { apiThrottleBurstLimit: number; apiThrottleRateLimit: number };
        return `(${apiThrottleBurstLimit}) must be at least apiThrottleRateLimit (${apiThrottleRateLimit})`;
      },
    });
}

/** Everything about a deployment that an operator may change without touching code. */
export type GatewayConfig = z.output<ReturnType<typeof gatewayConfigSchema>>;

/** The defaults of {@link GatewayConfig}: what an empty context gives. */
export const defaultGatewayConfig: GatewayConfig = gatewayConfigSchema([]).parse({});

/** The context keys the schema reads. */
const configKeys = Object.keys(gatewayConfigSchema([]).shape) as (keyof GatewayConfig)[];

/**
 * Reads the {@link GatewayConfig} from a construct's context (usually the app's).
 *
 * @param node - the construct node whose context is read (`app.node`, `stack.node`)
 * @param providerSlugs - the slugs of the providers, to reject a typo in a per-provider setting
 * @throws GatewayConfigError when a value is malformed or names an unknown provider; its message is one line
 * @example
 * // cdk synth -c workerMaxConcurrency=20 -c 'secretArns={"qikchat":"arn:aws:secretsmanager:..."}'
 * const config = readGatewayConfig(app.node, providers.map((provider) => provider.slug));
 */
export function readGatewayConfig(node: Node, providerSlugs: readonly string[]): GatewayConfig {
  const context: Record<string, unknown> = {};
  for (const key of configKeys) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) context[key] = value;
  }
  const result = gatewayConfigSchema(providerSlugs).safeParse(context);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const key = String(issue?.path[0] ?? 'context');
  // A provider slug in the path says where; a list index does not.
  const detail = issue?.path.slice(1).filter((part) => typeof part === 'string');
  throw new GatewayConfigError(
    `context ${[key, ...(detail ?? [])].join('.')} ${issue?.message ?? 'is invalid'}, got ${JSON.stringify(context[key])}; ` +
      `set it with -c ${key}=... (docs/deploying.md › Settings)`,
    { cause: result.error },
  );
}
