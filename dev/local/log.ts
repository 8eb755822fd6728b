/**
 * What `npm start` prints. In a terminal, one short line per delivery and per processed event
 * (time, provider, type, conversation, outcome, ms); elsewhere, or with `LOG_FORMAT=json`, the functions'
 * own Powertools JSON lines, exactly as in Lambda. A dead-lettered event gets a line in both.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, LogLevelThreshold, type LogItem } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { WebhookEventSchema, type WebhookEvent } from '../../lib/events/schema.js';
import type { DeadLetter } from './dead-letters.js';
import { LocalSettingError } from './settings.js';
import { eventLogKeys } from '../../lib/observability/event-log-keys.js';
import { SERVICE_NAME } from '../../lib/observability/names.js';
import { redactSensitive, redactText } from '../../lib/observability/redact.js';
import { WORKER_LOG } from './worker-log.js';
import type { DeliveryAttempt } from '../../lib/destinations/types.js';

export type LocalLogFormat = 'human' | 'json';

/**
 * The log format: `LOG_FORMAT` when set, else human in a terminal and JSON otherwise (a pipe, a file, a
 * log collector).
 *
 * @throws LocalSettingError when `LOG_FORMAT` is neither `json` nor `human`
 */
export function localLogFormat(env: NodeJS.ProcessEnv, isTerminal: boolean): LocalLogFormat {
  const value = env.LOG_FORMAT;
  if (value === undefined || value === '') return isTerminal ? 'human' : 'json';
  if (value === 'json' || value === 'human') return value;
  throw new LocalSettingError(`LOG_FORMAT must be "json" or "human", not "${value}"`);
}

/** The parts of one human line; what is unknown is left out. */
export interface HumanLine {
  readonly time: Date;
  readonly provider?: string | undefined;
  readonly type?: string | undefined;
  readonly conversation?: string | undefined;
  readonly outcome: string;
  readonly ms?: number | undefined;
}

/**
 * One line for a person: `13:05:01.123  qikchat  message.received  conv 6281234567890  accepted 200  14 ms`.
 * Fixed-width columns so that a burst reads as a table.
 */
export function formatHumanLine(line: HumanLine): string {
  const time = line.time.toISOString().slice(11, 23);
  const columns = [
    time,
    (line.provider ?? '-').padEnd(18),
    (line.type ?? '-').padEnd(26),
    (line.conversation ? `conv ${line.conversation}` : '-').padEnd(24),
    line.ms === undefined ? line.outcome : `${line.outcome.padEnd(14)}  ${Math.round(line.ms)} ms`,
  ];
  return columns.join('  ');
}

type Attributes = Readonly<Record<string, unknown>>;
type LoggerOptions = NonNullable<ConstructorParameters<typeof Logger>[0]>;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const errorMessage = (value: unknown): string | undefined =>
  value !== null && typeof value === 'object' ? text((value as { message?: unknown }).message) : undefined;

/** Told of every log call of the functions with a message, whatever the level: the console's recorder. */
type LogObserver = (message: string, attributes: Attributes) => void;

/**
 * A Powertools Logger that hands each log item's attributes to `sink` instead of printing JSON (or prints JSON
 * as in Lambda when there is no sink), and shows every log call to `observe`: levels, keys, child loggers and the
 * Lambda context work as in Lambda.
 */
class SinkLogger extends Logger {
  readonly #sink: ((level: number, attributes: Attributes) => void) | undefined;
  readonly #observe: LogObserver | undefined;

  constructor(sink: ((level: number, attributes: Attributes) => void) | undefined, observe: LogObserver | undefined, options: LoggerOptions = {}) {
    super(options);
    this.#sink = sink;
    this.#observe = observe;
  }

  protected override createLogger(options?: LoggerOptions): Logger {
    return new SinkLogger(this.#sink, this.#observe, options);
  }

  protected override processLogItem(...args: Parameters<Logger['processLogItem']>): void {
    const [, input, extraInput] = args;
    // Before the level filter: the console records a rejection's reason even when the log is quiet.
    if (this.#observe && typeof input === 'string') {
      const attributes = Object.assign({}, ...extraInput.filter((item) => typeof item === 'object' && !(item instanceof Error))) as Attributes;
      this.#observe(input, attributes);
    }
    super.processLogItem(...args);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (this.#sink) this.#sink(logLevel, log.getAttributes());
    else super.printLog(logLevel, log);
  }
}

/** What one receiver invocation logged that its delivery line shows. */
interface DeliveryNotes {
  type?: string | undefined;
  conversation?: string | undefined;
  eventId?: string | undefined;
  reason?: string | undefined;
}

type LocalReceiver = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalLogOptions {
  readonly format: LocalLogFormat;
  /** Powertools level name: `DEBUG`, `INFO`, `WARN`, `ERROR`, `SILENT`... */
  readonly logLevel: string;
  /** Where human lines go. @default process.stdout */
  readonly write?: (line: string) => void;
  /** Shown every log call of the functions, printed or not. */
  readonly observe?: LogObserver;
}

/** The local runtime's log: the loggers its functions get, and the lines it adds of its own. */
export interface LocalLog {
  /** The logger the receivers and the worker log to. */
  readonly logger: Logger;
  /** A receiver whose invocations print their delivery line (human format). */
  receiver(slug: string, handler: LocalReceiver): LocalReceiver;
  /** An answer the server gave without a receiver (unknown provider, wrong method, body too large). */
  refused(answer: { readonly method: string; readonly path: string; readonly status: number }): void;
  /** The worker processed an event. */
  processed(event: WebhookEvent): void;
  /** An event reached the dead-letter queue. */
  deadLettered(letter: DeadLetter): void;
  /** A destination's attempt at delivering an event (human format: its line; JSON: the destinations log their own). */
  outbound(attempt: DeliveryAttempt): void;
}

// The events accepted here and not processed yet, for the processed line's "ms since accepted".
const ACCEPTED_LIMIT = 10_000;

/**
 * The local runtime's log in the given format.
 *
 * @example const log = createLocalLog({ format: 'human', logLevel: 'INFO' });
 */
export function createLocalLog(options: LocalLogOptions): LocalLog {
  // Powertools checks the name and falls back to INFO for one it does not know.
  const logLevel = options.logLevel.toUpperCase() as LoggerOptions['logLevel'];
  if (options.format === 'json') {
    // The gateway's logger (lib/observability/powertools.ts), observed.
    return jsonLocalLog(new SinkLogger(undefined, options.observe, { serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME, jsonReplacerFn: redactSensitive, logLevel }));
  }

  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const invocations = new AsyncLocalStorage<DeliveryNotes>();
  const accepted = new Map<string, number>();
  const print = (line: HumanLine) => write(formatHumanLine(line));

  const logger: Logger = new SinkLogger((logLevel, attributes) => {
    const notes = invocations.getStore();
    const message = text(attributes.message);
    // A receiver's verdict becomes part of its delivery line.
    if (notes && message === 'Delivery accepted') {
      Object.assign(notes, { type: text(attributes.type), conversation: text(attributes.conversation), eventId: text(attributes.eventId) });
      return;
    }
    if (notes && (message === 'Delivery not accepted' || message === 'Delivery failed unexpectedly')) {
      notes.reason = text(attributes.reason);
      return;
    }
    // The processed line says it, with the conversation and the time since acceptance.
    if (message === WORKER_LOG.processed || message === 'Batch finished with failures; they will be retried') return;
    // A destination's attempt (its keys name the destination and the latency): outbound() prints its line.
    if (text(attributes.destination) !== undefined && number(attributes.latencyMs) !== undefined) return;
    // Once per type: say which type, and where a handler goes.
    if (message === WORKER_LOG.noHandler) {
      print({ time: new Date(), type: text(attributes.type), outcome: 'no handler registered: its events are only logged at DEBUG (add one in lib/handlers/registry.ts)' });
      return;
    }
    if (message === WORKER_LOG.duplicate || message === WORKER_LOG.conflictingDuplicate) {
      print({
        time: new Date(),
        provider: text(attributes.provider),
        type: text(attributes.type),
        conversation: text(attributes.conversation),
        outcome:
          message === WORKER_LOG.duplicate
            ? 'already handled earlier: duplicate acknowledged, not run again'
            : 'NOT RUN: its id was handled earlier with other content (archived marked conflicting-duplicate)',
        ms: number(attributes.durationMs),
      });
      return;
    }
    if (message === WORKER_LOG.failed) {
      const receives = text(attributes.receiveCount);
      print({
        time: new Date(),
        provider: text(attributes.provider),
        type: text(attributes.type),
        conversation: text(attributes.conversation),
        outcome: `failed${receives ? ` (receive ${receives})` : ''}: ${errorMessage(attributes.error) ?? 'error'}; retried`,
        ms: number(attributes.durationMs),
      });
      return;
    }
    if (message === WORKER_LOG.conversationParked || message === WORKER_LOG.eventParked) {
      const first = message === WORKER_LOG.conversationParked;
      const attempts = number(attributes.attempts);
      print({
        time: new Date(),
        provider: text(attributes.provider),
        type: text(attributes.type),
        conversation: text(attributes.conversation),
        outcome: first
          ? `PARKED with its conversation after ${String(attempts ?? '?')} attempts (GET /_local/parked; npm run resume -- --list)`
          : 'parked: its conversation is parked',
      });
      return;
    }
    const level = Object.entries(LogLevelThreshold).find(([, threshold]) => threshold === logLevel)?.[0] ?? 'LOG';
    const detail = errorMessage(attributes.error);
    print({ time: new Date(), provider: text(attributes.provider), outcome: `${level} ${message ?? ''}${detail ? `: ${detail}` : ''}` });
  }, options.observe, { logLevel });
  const shows = (threshold: number) => logger.level <= threshold;

  return {
    logger,
    receiver(slug, handler) {
      return async (event, context) => {
        const notes: DeliveryNotes = {};
        const started = performance.now();
        const result = await invocations.run(notes, () => handler(event, context));
        const status = result.statusCode ?? 200;
        if (status === 200 && notes.eventId) {
          accepted.set(notes.eventId, started);
          if (accepted.size > ACCEPTED_LIMIT) accepted.delete(accepted.keys().next().value ?? '');
        }
        if (shows(status === 200 ? LogLevelThreshold.INFO : LogLevelThreshold.WARN)) {
          const outcome = status === 200 ? 'accepted 200' : `rejected ${status}${notes.reason ? ` ${notes.reason}` : ''}`;
          print({ time: new Date(), provider: slug, type: notes.type, conversation: notes.conversation, outcome, ms: performance.now() - started });
        }
        return result;
      };
    },
    refused(answer) {
      if (shows(LogLevelThreshold.WARN)) print({ time: new Date(), outcome: `rejected ${answer.status}: ${answer.method} ${redactText(answer.path)}` });
    },
    processed(event) {
      const since = accepted.get(event.id);
      accepted.delete(event.id);
      if (!shows(LogLevelThreshold.INFO)) return;
      const keys = eventLogKeys(event);
      print({ time: new Date(), provider: keys.provider, type: keys.type, conversation: keys.conversation ?? undefined, outcome: 'processed', ms: since === undefined ? undefined : performance.now() - since });
    },
    outbound(attempt) {
      if (!shows(attempt.outcome === 'delivered' ? LogLevelThreshold.INFO : LogLevelThreshold.WARN)) return;
      print({ time: new Date(attempt.at), provider: attempt.provider, type: attempt.type, outcome: outboundOutcome(attempt), ms: attempt.latencyMs });
    },
    deadLettered(letter) {
      if (!shows(LogLevelThreshold.WARN)) return;
      const keys = deadLetterKeys(letter);
      const receives =
        letter.reason !== null ? `: ${letter.reason.replaceAll('_', ' ')}` : letter.attempts === null ? '' : ` after ${String(letter.attempts)} attempt${letter.attempts === 1 ? '' : 's'}`;
      print({
        time: new Date(),
        provider: keys?.provider,
        type: keys?.type,
        conversation: keys?.conversation ?? undefined,
        outcome: `DEAD-LETTERED${receives} (GET /_local/dead-letters; npm run redrive)`,
      });
    },
  };
}

/** What a destination's attempt came to, for its human line: `→ 127-0-0-1-8080-hook delivered 204`, `→ … retry 503 (attempt 2, next 03:12:09): …`. */
function outboundOutcome(attempt: DeliveryAttempt): string {
  const status = attempt.status === undefined ? '' : ` ${String(attempt.status)}`;
  const next = attempt.nextRetryAt === undefined ? '' : `, next ${attempt.nextRetryAt.slice(11, 19)}`;
  const why = attempt.error === undefined ? '' : `: ${attempt.error}`;
  const what: Record<DeliveryAttempt['outcome'], string> = {
    delivered: `delivered${status}`,
    retry: `retry${status} (attempt ${String(attempt.attempt)}${next})${why}`,
    failed: `FAILED${status} after ${String(attempt.attempt)} attempt${attempt.attempt === 1 ? '' : 's'}: its conversation is parked${why}`,
    refused: `REFUSED by the address policy: its conversation is parked${why}`,
    'circuit-open': `circuit open: not sent (attempt ${String(attempt.attempt)}${next})`,
  };
  return `→ ${attempt.destination} ${what[attempt.outcome]}`;
}

/** The log keys of a dead letter's event, as every other line gives them; none for a poison message. */
function deadLetterKeys(letter: DeadLetter): ReturnType<typeof eventLogKeys> | undefined {
  const parsed = WebhookEventSchema.safeParse(letter.body);
  return parsed.success ? eventLogKeys(parsed.data) : undefined;
}

/** JSON mode: the functions' own Powertools lines, and one more for a dead letter. */
function jsonLocalLog(logger: Logger): LocalLog {
  return {
    logger,
    receiver: (_slug, handler) => handler,
    refused: () => undefined,
    processed: () => undefined,
    outbound: () => undefined,
    deadLettered(letter) {
      logger.warn('Event dead-lettered', {
        ...deadLetterKeys(letter),
        messageId: letter.messageId,
        messageGroupId: letter.messageGroupId,
        receiveCount: letter.receiveCount,
        attempts: letter.attempts,
      });
    },
  };
}
