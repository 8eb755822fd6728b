/**
 * The deployment's settings, read from CDK context (`cdk.json`, `cdk.context.json` or `-c key=value`).
 * Every key is optional; {@link defaultGatewayConfig} holds the defaults. Values given with `-c` arrive as
 * strings, so numbers, booleans, lists and objects are parsed here, and every value is checked, so a typo
 * fails the synth instead of silently deploying something else.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** Powertools log levels (`POWERTOOLS_LOG_LEVEL`) that Lambda's log-level filter can match. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Everything about a deployment that an operator may change without touching code. */
export interface GatewayConfig {
  /** Name of the CloudFormation stack; set it to deploy a second copy (e.g. staging) to the same account. */
  readonly stackName: string;
  /** Steady-state requests per second the HTTP API stage accepts, all routes together. */
  readonly apiThrottleRateLimit: number;
  /** Requests the stage accepts in a burst above the steady rate. */
  readonly apiThrottleBurstLimit: number;
  /** Retention of every log group (functions and API access logs); one of CloudWatch's allowed day counts. */
  readonly logRetentionDays: RetentionDays;
  /** `POWERTOOLS_LOG_LEVEL` of every function. */
  readonly logLevel: LogLevel;
  /** How long a receiver caches its secret before reading it again (`SECRETS_MAX_AGE_SECONDS`). */
  readonly secretsMaxAgeSeconds: number;
  /** Most worker invocations the SQS event source runs at once (Lambda allows 2 to 1000). */
  readonly workerMaxConcurrency: number;
  /** Existing Secrets Manager secrets to use instead of creating one, by provider slug (complete ARNs). */
  readonly secretArns: Readonly<Record<string, string>>;
  /**
   * DANGEROUS. Providers whose receiver accepts deliveries WITHOUT checking the signature or credentials
   * (`SIGNATURE_VERIFICATION=disabled`): anyone who knows the URL can inject events. For a first test with a
   * provider whose signing cannot be set up yet; never in production.
   */
  readonly signatureVerificationDisabled: readonly string[];
  /** Bundle the AWS SDK into each function (true) or use the copy in the Lambda runtime (false). */
  readonly bundleAwsSdk: boolean;
  /** Bundle Powertools Tracer into the receivers: `SendMessage` and Secrets Manager subsegments in their traces. */
  readonly detailedTracing: boolean;
  /** E-mail address subscribed to the alarm topic; none when undefined (subscribe later in the SNS console). */
  readonly alarmEmail: string | undefined;
  /** Age of the oldest message in the main queue, in seconds, from which the queue-age alarm fires. */
  readonly queueAgeAlarmSeconds: number;
  /**
   * p99 time to answer, in milliseconds, from which the latency alarms fire (receiver Duration and API Latency);
   * providers give up after 2 s.
   */
  readonly answerTimeAlarmMilliseconds: number;
  /** Deliveries of one provider refused (401) within 5 minutes from which the rejected-webhooks alarm fires. */
  readonly rejectedWebhooksAlarmThreshold: number;
}

/** The defaults of {@link GatewayConfig}. */
export const defaultGatewayConfig: GatewayConfig = {
  stackName: 'ChatWebhookGateway',
  apiThrottleRateLimit: 100,
  apiThrottleBurstLimit: 200,
  logRetentionDays: RetentionDays.ONE_MONTH,
  logLevel: 'INFO',
  secretsMaxAgeSeconds: 300,
  workerMaxConcurrency: 10,
  secretArns: {},
  signatureVerificationDisabled: [],
  bundleAwsSdk: true,
  detailedTracing: false,
  alarmEmail: undefined,
  queueAgeAlarmSeconds: 300,
  answerTimeAlarmMilliseconds: 1500,
  rejectedWebhooksAlarmThreshold: 10,
};

/** Thrown when a context value cannot be used; the message names the key and what it accepts. */
export class GatewayConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayConfigError';
  }
}

const allowedRetentionDays = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

// Deliberately loose: SNS validates the address and the recipient must confirm it anyway; this catches typos
// such as a missing `@` or a list passed where one address is expected.
const emailAddress = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

// A Secrets Manager ARN with its six-character suffix: `grantRead` on a partial ARN would need a wildcard.
const completeSecretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

/**
 * Reads the {@link GatewayConfig} from a construct's context (usually the app's).
 *
 * @param node - the construct node whose context is read (`app.node`, `stack.node`)
 * @param providerSlugs - the slugs of the providers, to reject a typo in `secretArns` or
 *   `signatureVerificationDisabled`
 * @throws GatewayConfigError when a value is malformed or names an unknown provider
 * @example
 * // cdk synth -c workerMaxConcurrency=20 -c 'secretArns={"qikchat":"arn:aws:secretsmanager:..."}'
 * const config = readGatewayConfig(app.node, providers.map((provider) => provider.slug));
 */
export function readGatewayConfig(node: Node, providerSlugs: readonly string[]): GatewayConfig {
  const get = (key: keyof GatewayConfig): unknown => node.tryGetContext(key);
  const defaults = defaultGatewayConfig;

  const config: GatewayConfig = {
    stackName: readString(get('stackName'), 'stackName', defaults.stackName, /^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    apiThrottleRateLimit: readNumber(get('apiThrottleRateLimit'), 'apiThrottleRateLimit', defaults.apiThrottleRateLimit, 1, 10_000),
    apiThrottleBurstLimit: readNumber(get('apiThrottleBurstLimit'), 'apiThrottleBurstLimit', defaults.apiThrottleBurstLimit, 1, 5_000),
    logRetentionDays: readRetention(get('logRetentionDays'), defaults.logRetentionDays),
    logLevel: readLogLevel(get('logLevel'), defaults.logLevel),
    secretsMaxAgeSeconds: readNumber(get('secretsMaxAgeSeconds'), 'secretsMaxAgeSeconds', defaults.secretsMaxAgeSeconds, 0, 3600),
    workerMaxConcurrency: readNumber(get('workerMaxConcurrency'), 'workerMaxConcurrency', defaults.workerMaxConcurrency, 2, 1000),
    secretArns: readSecretArns(get('secretArns'), providerSlugs),
    signatureVerificationDisabled: readSlugList(get('signatureVerificationDisabled'), providerSlugs),
    bundleAwsSdk: readBoolean(get('bundleAwsSdk'), 'bundleAwsSdk', defaults.bundleAwsSdk),
    detailedTracing: readBoolean(get('detailedTracing'), 'detailedTracing', defaults.detailedTracing),
    alarmEmail: readEmailAddress(get('alarmEmail')),
    queueAgeAlarmSeconds: readNumber(get('queueAgeAlarmSeconds'), 'queueAgeAlarmSeconds', defaults.queueAgeAlarmSeconds, 60, 1_209_600),
    answerTimeAlarmMilliseconds: readNumber(
      get('answerTimeAlarmMilliseconds'),
      'answerTimeAlarmMilliseconds',
      defaults.answerTimeAlarmMilliseconds,
      100,
      5_000,
    ),
    rejectedWebhooksAlarmThreshold: readNumber(
      get('rejectedWebhooksAlarmThreshold'),
      'rejectedWebhooksAlarmThreshold',
      defaults.rejectedWebhooksAlarmThreshold,
      1,
      100_000,
    ),
  };
  if (config.apiThrottleBurstLimit < config.apiThrottleRateLimit) {
    throw new GatewayConfigError(
      `apiThrottleBurstLimit (${config.apiThrottleBurstLimit}) must be at least apiThrottleRateLimit (${config.apiThrottleRateLimit})`,
    );
  }
  return config;
}

/** `-c key='{"a":1}'` arrives as a string; `cdk.json` values arrive parsed. */
function parseJsonIfString(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch (cause) {
    throw new GatewayConfigError(`context ${key} is not valid JSON: ${value}`, { cause });
  }
}

function readString(value: unknown, key: string, fallback: string, pattern: RegExp): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new GatewayConfigError(`context ${key} must match ${pattern}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Unset and `''` (`-c alarmEmail=`) both mean "no subscription". */
function readEmailAddress(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !emailAddress.test(value.trim())) {
    throw new GatewayConfigError(`context alarmEmail must be one e-mail address, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function readNumber(value: unknown, key: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new GatewayConfigError(`context ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function readBoolean(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new GatewayConfigError(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function readRetention(value: unknown, fallback: RetentionDays): RetentionDays {
  if (value === undefined) return fallback;
  const days = typeof value === 'string' ? Number(value) : value;
  if (typeof days !== 'number' || !allowedRetentionDays.has(days)) {
    throw new GatewayConfigError(
      `context logRetentionDays must be one of ${[...allowedRetentionDays].join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return days as RetentionDays;
}

function readLogLevel(value: unknown, fallback: LogLevel): LogLevel {
  if (value === undefined) return fallback;
  const level = typeof value === 'string' ? value.toUpperCase() : value;
  if (!logLevels.includes(level as LogLevel)) {
    throw new GatewayConfigError(`context logLevel must be one of ${logLevels.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return level as LogLevel;
}

function readSecretArns(value: unknown, providerSlugs: readonly string[]): Readonly<Record<string, string>> {
  const parsed = parseJsonIfString(value, 'secretArns');
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError(`context secretArns must be an object {"<provider>": "<secret ARN>"}, got ${JSON.stringify(value)}`);
  }
  for (const [slug, arn] of Object.entries(parsed)) {
    assertKnownSlug(slug, 'secretArns', providerSlugs);
    if (typeof arn !== 'string' || !completeSecretArn.test(arn)) {
      throw new GatewayConfigError(
        `context secretArns.${slug} must be a complete Secrets Manager ARN (ending in the six-character suffix), got ${JSON.stringify(arn)}`,
      );
    }
  }
  return parsed as Record<string, string>;
}

function readSlugList(value: unknown, providerSlugs: readonly string[]): readonly string[] {
  const key = 'signatureVerificationDisabled';
  const parsed = parseJsonIfString(value, key);
  if (parsed === undefined || parsed === '') return [];
  const list = typeof parsed === 'string' ? parsed.split(',').map((slug) => slug.trim()) : parsed;
  if (!Array.isArray(list) || !list.every((slug): slug is string => typeof slug === 'string')) {
    throw new GatewayConfigError(`context ${key} must be a list of provider slugs, got ${JSON.stringify(value)}`);
  }
  for (const slug of list) assertKnownSlug(slug, key, providerSlugs);
  return list;
}

function assertKnownSlug(slug: string, key: string, providerSlugs: readonly string[]): void {
  if (!providerSlugs.includes(slug)) {
    throw new GatewayConfigError(`context ${key} names an unknown provider "${slug}"; known: ${providerSlugs.join(', ')}`);
  }
}
