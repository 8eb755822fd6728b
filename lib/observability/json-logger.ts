import type { Context } from 'aws-lambda';
import { lambdaLogKeys, type LambdaLineContext } from './lambda-log-keys.js';
import { isCredentialName, redactSensitive, textMayHoldCredentials } from './redact.js';

/** Attributes of one log line. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/**
 * What a receiver logs through: the subset of Powertools Logger it uses, so the local runtime and the tests can
 * pass a Powertools Logger and the Lambda receivers the {@link JsonLineLogger} below.
 */
export interface ReceiverLogger {
  debug(message: string, ...attributes: LogAttributes[]): void;
  info(message: string, ...attributes: LogAttributes[]): void;
  warn(message: string, ...attributes: LogAttributes[]): void;
  error(message: string, ...attributes: LogAttributes[]): void;
  /** Sets the invocation's Lambda keys (request id, function, cold start) on the lines that follow. */
  addContext(context: Context): void;
  /** Sets `correlation_id` on the invocation's lines that follow. */
  setCorrelationId(value: string): void;
  /** Drops the invocation's keys (the correlation id) once it is answered. */
  resetKeys(): void;
  /** A logger whose every line also carries `persistentKeys`. */
  createChild(options: { persistentKeys: Readonly<Record<string, string>> }): ReceiverLogger;
}

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type LevelName = keyof typeof LEVELS;

const levelOf = (name: string | undefined): number | undefined => (name === undefined ? undefined : LEVELS[name.toUpperCase() as LevelName]);

/**
 * The level as Powertools Logger chooses it: Lambda's advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`) when set,
 * else `POWERTOOLS_LOG_LEVEL`, else `LOG_LEVEL`, else INFO.
 */
export function logLevelFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  return levelOf(env.AWS_LAMBDA_LOG_LEVEL) ?? levelOf(env.POWERTOOLS_LOG_LEVEL) ?? levelOf(env.LOG_LEVEL) ?? LEVELS.INFO;
}

/** An error as Powertools Logger prints one: name, location, message, stack and cause, with its own fields. */
function formatError(error: Error): Record<string, unknown> {
  const { name, message, stack, cause, ...fields } = error as Error & Record<string, unknown>;
  const location = stack ? (/\(([^()]*?):(\d+?):(\d+?)\)\\?$/m.exec(stack) ?? undefined) : undefined;
  return {
    name,
    location: location ? `${location[1] ?? ''}:${Number(location[2])}` : '',
    message,
    stack,
    cause: cause instanceof Error ? formatError(cause) : cause,
    ...fields,
  };
}

const replacer = (key: string, value: unknown): unknown => {
  const redacted = redactSensitive(key, value);
  return redacted instanceof Error ? formatError(redacted) : redacted;
};

// A replacer takes JSON.stringify off its fast path; most lines have nothing for it to do (a credential's name, a
// string with a `=` or that starts like JSON). Names repeat: `isCredentialName` keeps their verdicts.
const MAX_CHECKED_DEPTH = 4;

/** Whether `value` holds nothing to redact and no error down to a few levels, so that a plain `JSON.stringify` writes it as the replacer would. */
function isPlain(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !textMayHoldCredentials(value);
  if (typeof value !== 'object' || value === null) return true;
  // What `toJSON` returns (a URL's text, say) is what gets written, and only the replacer sees it.
  if (depth >= MAX_CHECKED_DEPTH || value instanceof Error || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) {
    if (isCredentialName(key) || !isPlain((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

interface Shared {
  readonly threshold: number;
  readonly write: (level: LevelName, line: string) => void;
  /** The invocation, shared with child loggers as Powertools shares its Lambda context. */
  invocation: LambdaLineContext | undefined;
  traceId: string | undefined;
  correlationId: string | undefined;
  coldStart: boolean;
}

/**
 * The JSON line of the gateway's Powertools Logger (`level`, `message`, `timestamp`, the Lambda keys of
 * `lambda-log-keys.ts`, `correlation_id`, then the line's own keys, credentials redacted by `redact.ts`), written directly: the
 * receivers' per-delivery goal has no room for Powertools' general machinery (BENCHMARKS.md). WARN and above go
 * to stderr, the rest to stdout.
 */
export class JsonLineLogger implements ReceiverLogger {
  readonly #shared: Shared;
  readonly #persistent: Readonly<Record<string, string>>;

  constructor(shared: Shared, persistent: Readonly<Record<string, string>> = {}) {
    this.#shared = shared;
    this.#persistent = persistent;
  }

  debug(message: string, ...attributes: LogAttributes[]): void {
    this.#log('DEBUG', message, attributes);
  }

  info(message: string, ...attributes: LogAttributes[]): void {
    this.#log('INFO', message, attributes);
  }

  warn(message: string, ...attributes: LogAttributes[]): void {
    this.#log('WARN', message, attributes);
  }

  error(message: string, ...attributes: LogAttributes[]): void {
    this.#log('ERROR', message, attributes);
  }

  addContext(context: Context): void {
    this.#shared.invocation = {
      coldStart: this.#shared.coldStart,
      functionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
    };
    this.#shared.traceId = process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '');
    this.#shared.coldStart = false;
  }

  setCorrelationId(value: string): void {
    this.#shared.correlationId = value;
  }

  resetKeys(): void {
    this.#shared.correlationId = undefined;
  }

  createChild(options: { persistentKeys: Readonly<Record<string, string>> }): JsonLineLogger {
    return new JsonLineLogger(this.#shared, { ...this.#persistent, ...options.persistentKeys });
  }

  #log(level: LevelName, message: string, attributes: readonly LogAttributes[]): void {
    if (LEVELS[level] < this.#shared.threshold) return;
    const line = { level, message, timestamp: new Date().toISOString(), ...lambdaLogKeys(level, this.#shared.invocation, this.#shared.traceId), ...this.#persistent, correlation_id: this.#shared.correlationId };
    for (const more of attributes) Object.assign(line, more);
    this.#shared.write(level, `${isPlain(line) ? JSON.stringify(line) : JSON.stringify(line, replacer)}\n`);
  }
}

/**
 * The receivers' logger, its level from the environment as Powertools reads it ({@link logLevelFromEnvironment});
 * `write` replaces stdout/stderr.
 */
export function createJsonLineLogger(options: { readonly write?: (level: string, line: string) => void } = {}): JsonLineLogger {
  const write =
    options.write ??
    ((level: string, line: string) => (LEVELS[level as LevelName] >= LEVELS.WARN ? process.stderr : process.stdout).write(line));
  return new JsonLineLogger({ threshold: logLevelFromEnvironment(), write, invocation: undefined, traceId: undefined, correlationId: undefined, coldStart: true });
}
