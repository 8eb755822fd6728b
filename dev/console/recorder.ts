/**
 * The console's memory: what the receivers and the worker do locally, recorded where the local runtime calls them
 * and where their log items are made. Credentials are redacted as the request is recorded, so they never reach
 * the page. Bounded by count and by bytes: the oldest entries are dropped first, and a rejected delivery keeps only the
 * first 4 KB of its body.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { archivedEvent } from '../../lib/archive/format.js';
import { WebhookEventSchema, type WebhookEvent } from '../../lib/events/schema.js';
import type { DeadLetter } from '../local/dead-letters.js';
import { eventLogKeys } from '../../lib/observability/event-log-keys.js';
import { redactText } from '../../lib/observability/redact.js';
import { doneOutcome, WORKER_LOG, type DoneOutcome } from '../local/worker-log.js';
import { redactHeaders, type Attempt, type ConsoleEntry, type DeliveryEntry, type EntryDetail, type EventEntry, type HowDone, type RecordedRequest } from './model.js';

type Receiver = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Worker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type Attributes = Readonly<Record<string, unknown>>;

/** What changed, for the live list: an entry, the dead-letter queue, or the parked conversations. */
type ConsoleChange = { readonly kind: 'entry'; readonly entry: ConsoleEntry } | { readonly kind: 'dead-letters' } | { readonly kind: 'parked' };

export interface ConsoleRecorder {
  /** A receiver whose invocations are recorded as deliveries. */
  receiver(slug: string, handler: Receiver): Receiver;
  /** A worker whose invocations are recorded as attempts on their events. */
  worker(handler: Worker): Worker;
  /** A log item of the functions (any level, printed or not): a rejection's reason, a failure's error. */
  logged(message: string, attributes: Attributes): void;
  /** An answer the server gave without a receiver. */
  refused(answer: { readonly method: string; readonly path: string; readonly status: number }): void;
  /** An event's handler ran: the event as it got it (with its stored media) replaces the one from the queue. */
  processed(event: WebhookEvent): void;
  /** An event reached the dead-letter queue. */
  deadLettered(letter: DeadLetter): void;
  /** The dead-letter queue changed otherwise (a redrive). */
  deadLettersChanged(): void;
  /** The parked conversations changed otherwise (a resume asked for). */
  parkedChanged(): void;
  /** Every entry, oldest first. */
  entries(): readonly ConsoleEntry[];
  /**
   * The bytes it keeps, as counted against `maximumBytes`: the requests' bodies, paths and headers, the answers, the
   * events (as JSON) and their attempts' errors, as UTF-8, and 512 bytes more an entry and an attempt.
   */
  retainedBytes(): number;
  detail(id: string): EntryDetail | undefined;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (change: ConsoleChange) => void): () => void;
}

interface DeliveryState {
  entry: DeliveryEntry;
  request?: RecordedRequest;
  answer?: { status: number; body: string };
  detail?: string;
  /** What it counts against the byte bound, once recorded. */
  bytes: number;
}

interface EventState {
  entry: EventEntry;
  event: WebhookEvent;
  attempts: Attempt[];
  bytes: number;
}

/** What an entry or an attempt counts beyond its texts: its other fields and its place in the maps. */
const ENTRY_OVERHEAD_BYTES = 512;
/** How much of a rejected delivery's body is kept: enough to see what it was, not a megabyte each. */
const REJECTED_BODY_BYTES = 4 * 1024;
const utf8Bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

function parseOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The first `limit` bytes of a text's UTF-8, cut between characters. */
function firstBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  let end = limit;
  // Not inside a character: back to the start of the one the cut falls in.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

function utf8OrUndefined(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The request as recorded: credentials redacted, and no more than `limit` bytes of the body. */
function recordRequest(event: APIGatewayProxyEventV2, limit: number): RecordedRequest {
  const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const text = utf8OrUndefined(bytes);
  // Credentials in the body and the query string too (`?token=`), by the rule the archive and the logs use; the
  // whole body before it is cut: a cut JSON is no JSON, and its credentials would no longer be found.
  const redacted = text === undefined ? undefined : redactText(text);
  const cut = (redacted === undefined ? bytes.length : utf8Bytes(redacted)) > limit;
  const body = redacted === undefined ? bytes.subarray(0, limit).toString('base64') : cut ? firstBytes(redacted, limit) : redacted;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return {
    method: event.requestContext.http.method,
    path: redactText(`${event.rawPath}${query}`),
    headers: redactHeaders(event.headers),
    body,
    bodyEncoding: redacted === undefined ? 'base64' : 'utf8',
    bodyBytes: bytes.length,
    ...(cut ? { keptBytes: redacted === undefined ? limit : utf8Bytes(body) } : {}),
  };
}

function deliveryBytes({ request, answer, detail }: DeliveryState): number {
  const headers = Object.entries(request?.headers ?? {}).reduce((sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes(value), 0);
  return ENTRY_OVERHEAD_BYTES + utf8Bytes(request?.body) + utf8Bytes(request?.path) + headers + utf8Bytes(answer?.body) + utf8Bytes(detail);
}

const attemptBytes = (attempt: Attempt) => ENTRY_OVERHEAD_BYTES + utf8Bytes(attempt.error);

function errorText(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  return value !== null && typeof value === 'object' ? text((value as { message?: unknown }).message) : undefined;
}

const milliseconds = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** An attempt's outcome from the batch's answer and what the worker logged of the record. */
function attemptOutcome(record: { failed: boolean; error: string | undefined; deferred: string | undefined; parked: boolean }): Attempt['outcome'] {
  if (!record.failed) return record.parked ? 'parked' : 'processed';
  if (record.error !== undefined) return 'failed';
  return record.deferred !== undefined ? 'deferred' : 'held back';
}

export interface ConsoleRecorderOptions {
  /** The most deliveries, and the most events, kept. @default 5000 */
  readonly limit?: number;
  /**
   * The most bytes kept, deliveries and events together, as {@link ConsoleRecorder.retainedBytes} counts them; the
   * oldest entries are dropped first. @default 64 MiB
   */
  readonly maximumBytes?: number;
  /** Whether a handler is registered for an event type; a processed event of a type without one shows `(no handler)`. @default every type has one */
  readonly hasHandler?: (type: string) => boolean;
}

/**
 * A recorder keeping at most `limit` deliveries and `limit` events, and at most `maximumBytes` of them.
 *
 * @example const recorder = createConsoleRecorder({ hasHandler: (type) => type in handlers }); receivers.set(slug, recorder.receiver(slug, handler));
 */
export function createConsoleRecorder(options: ConsoleRecorderOptions = {}): ConsoleRecorder {
  const limit = options.limit ?? 5_000;
  const maximumBytes = options.maximumBytes ?? 64 * 1024 * 1024;
  const hasHandler = options.hasHandler ?? (() => true);
  /** How a processed event was done: its handler ran, only logged for want of one, or found handled before. */
  const howDone = (type: string, outcome: DoneOutcome | undefined): HowDone => {
    if (outcome === 'duplicate' || outcome === 'conflicting-duplicate') return outcome;
    return hasHandler(type) ? 'handled' : 'no handler';
  };
  const deliveries = new Map<string, DeliveryState>();
  const events = new Map<string, EventState>();
  const listeners = new Set<(change: ConsoleChange) => void>();
  const invocation = new AsyncLocalStorage<DeliveryState>();
  // What the worker said of a record of the invocation under way, by SQS message id: the error of `Event failed`,
  // why it was deferred, that it was parked or moved to the dead-letter queue. The batch's answer cannot tell
  // a parked record (reported done) from a processed one.
  const failures = new Map<string, string>();
  const deferrals = new Map<string, string>();
  const parkedMessages = new Set<string>();
  // A record the worker found handled before: acknowledged without running (duplicate), or not run (other content).
  const doneBefore = new Map<string, DoneOutcome>();
  const poisonMessages = new Set<string>();
  // The records of invocations under way: an event the worker runs that is none of them runs for a resume, from the park store.
  const inFlight = new Set<string>();
  // The error of a resumed event's failed run, by event id, until the worker says it parked the conversation again.
  const resumeFailures = new Map<string, { error: string; ms: number }>();
  let seq = 0;
  let retained = 0;

  const emit = (change: ConsoleChange) => {
    for (const listener of listeners) listener(change);
  };
  const trim = (map: Map<string, unknown> | Set<string>) => {
    if (map.size > limit) map.delete(map.keys().next().value ?? '');
  };
  const deliveriesOf = (eventId: string) => [...deliveries.values()].filter((state) => state.entry.eventId === eventId);

  function forget<State extends { bytes: number }>(map: Map<string, State>, key: string): void {
    const state = map.get(key);
    if (!state) return;
    map.delete(key);
    retained -= state.bytes;
  }

  /** Drops the oldest entries until both counts and the bytes are within their bounds. */
  function fit(): void {
    while (deliveries.size > limit) forget(deliveries, deliveries.keys().next().value ?? '');
    while (events.size > limit) forget(events, events.keys().next().value ?? '');
    while (retained > maximumBytes) {
      const delivery = deliveries.values().next().value;
      const event = events.values().next().value;
      if (delivery && (!event || delivery.entry.seq < event.entry.seq)) forget(deliveries, delivery.entry.id);
      else if (event) forget(events, event.event.id);
      else break;
    }
  }

  function addDelivery(state: DeliveryState): void {
    state.bytes = deliveryBytes(state);
    deliveries.set(state.entry.id, state);
    retained += state.bytes;
    fit();
  }

  function addAttempt(state: EventState, attempt: Attempt): void {
    state.attempts.push(attempt);
    const bytes = attemptBytes(attempt);
    state.bytes += bytes;
    // Counted only while it is kept: an event dropped meanwhile counts no more.
    if (events.get(state.event.id) === state) {
      retained += bytes;
      fit();
    }
  }

  function updateEvent(state: EventState, changes: Partial<EventEntry>): void {
    state.entry = { ...state.entry, ...changes };
    emit({ kind: 'entry', entry: state.entry });
  }

  /** The event's state, created on its first sight; its deliveries learn its conversation id. */
  function eventState(event: WebhookEvent): EventState {
    let state = events.get(event.id);
    if (state) return state;
    const conversation = event.data.conversationId ?? undefined;
    state = {
      event,
      attempts: [],
      bytes: ENTRY_OVERHEAD_BYTES + utf8Bytes(JSON.stringify(event)),
      entry: {
        kind: 'event',
        id: `e:${event.id}`,
        seq: ++seq,
        at: new Date().toISOString(),
        provider: event.provider,
        type: event.type,
        conversation,
        conversationDigest: eventLogKeys(event).conversation ?? undefined,
        eventId: event.id,
        outcome: 'queued',
        attempts: 0,
      },
    };
    events.set(event.id, state);
    retained += state.bytes;
    fit();
    for (const delivery of deliveriesOf(event.id)) {
      delivery.entry = { ...delivery.entry, conversation, type: event.type };
      emit({ kind: 'entry', entry: delivery.entry });
    }
    return state;
  }

  /** A run of a resume, from the park store (the worker's own record is the control message): recorded here, as it happens. */
  function resumedRun(message: string, attributes: Attributes, state: EventState): void {
    const done = doneOutcome(message);
    if (done !== undefined) {
      addAttempt(state, { at: new Date().toISOString(), outcome: 'processed', ms: milliseconds(attributes.durationMs) });
      updateEvent(state, { outcome: 'processed', done: howDone(state.event.type, done), attempts: state.attempts.length });
      emit({ kind: 'parked' });
    } else if (message === WORKER_LOG.failed) {
      resumeFailures.set(state.event.id, { error: errorText(attributes.error) ?? 'error', ms: milliseconds(attributes.durationMs) });
      trim(resumeFailures);
    }
  }

  /** What the worker's log items say that its batch answer does not. */
  function workerLogged(message: string, attributes: Attributes): void {
    const messageId = text(attributes.messageId);
    const eventId = text(attributes.eventId);
    const state = eventId === undefined ? undefined : events.get(eventId);
    if (messageId !== undefined && !inFlight.has(messageId)) {
      if (state) resumedRun(message, attributes, state);
      return;
    }
    const done = doneOutcome(message);
    if ((done === 'duplicate' || done === 'conflicting-duplicate') && messageId) doneBefore.set(messageId, done);
    else if (message === WORKER_LOG.failed && messageId) failures.set(messageId, errorText(attributes.error) ?? 'error');
    else if (message === WORKER_LOG.deferred && messageId) deferrals.set(messageId, text(attributes.reason) ?? 'not run now');
    else if (message === WORKER_LOG.poison && messageId) poisonMessages.add(messageId);
    else if ((message === WORKER_LOG.conversationParked || message === WORKER_LOG.eventParked) && messageId) {
      parkedMessages.add(messageId);
      emit({ kind: 'parked' });
    } else if (message === WORKER_LOG.skipped) {
      if (state) updateEvent(state, { outcome: 'skipped' });
      emit({ kind: 'parked' });
    } else if (message === WORKER_LOG.failedAgain) {
      const failure = eventId === undefined ? undefined : resumeFailures.get(eventId);
      if (eventId !== undefined) resumeFailures.delete(eventId);
      if (state) {
        addAttempt(state, { at: new Date().toISOString(), outcome: 'parked', error: failure?.error ?? 'error', ms: failure?.ms ?? 0 });
        updateEvent(state, { outcome: 'parked', attempts: state.attempts.length });
      }
      emit({ kind: 'parked' });
    } else if (message === WORKER_LOG.reopened) {
      emit({ kind: 'parked' });
    }
    for (const memory of [failures, deferrals, parkedMessages, poisonMessages, doneBefore]) trim(memory);
  }

  return {
    receiver(slug, handler) {
      return async (event, context) => {
        const started = performance.now();
        // The request as it came (a handler may change the event's members), recorded once its answer tells how much to keep.
        const sent = { ...event, headers: { ...event.headers } };
        const state: DeliveryState = {
          entry: { kind: 'delivery', id: `d${String(seq + 1)}`, seq: ++seq, at: new Date().toISOString(), provider: slug, outcome: 'rejected', status: 0 },
          bytes: 0,
        };
        const result = await invocation.run(state, () => handler(event, context));
        const status = result.statusCode ?? 200;
        // A rejected body is anyone's bytes, as many as the server takes: only its start is kept.
        state.request = recordRequest(sent, status === 200 ? Number.POSITIVE_INFINITY : REJECTED_BODY_BYTES);
        state.answer = { status, body: result.body ?? '' };
        const known = state.entry.eventId ? events.get(state.entry.eventId) : undefined;
        state.entry = {
          ...state.entry,
          outcome: status === 200 ? 'accepted' : 'rejected',
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(known ? { conversation: known.entry.conversation, type: known.entry.type } : {}),
        };
        addDelivery(state);
        emit({ kind: 'entry', entry: state.entry });
        return result;
      };
    },

    worker(handler) {
      return async (batch, context) => {
        const started = performance.now();
        // A message that is no event (or a control message) is the worker's to judge: recorded as nothing, never thrown.
        const received = batch.Records.map((record) => {
          const parsed = WebhookEventSchema.safeParse(parseOrUndefined(record.body));
          inFlight.add(record.messageId);
          return { record, state: parsed.success ? eventState(parsed.data) : undefined };
        });
        let failed: ReadonlySet<string>;
        let response: SQSBatchResponse | undefined;
        let thrown: { error: unknown } | undefined;
        try {
          response = await handler(batch, context);
          failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        } catch (error) {
          // The whole batch failed, as in Lambda: every record's attempt failed with that error.
          thrown = { error };
          failed = new Set(batch.Records.map((record) => record.messageId));
          for (const { record } of received) failures.set(record.messageId, errorText(error) ?? 'the invocation failed');
        }
        const ms = Math.round((performance.now() - started) * 10) / 10;
        for (const { record, state } of received) {
          const { messageId } = record;
          const error = failures.get(messageId);
          const deferred = deferrals.get(messageId);
          const parked = parkedMessages.has(messageId);
          const poison = poisonMessages.has(messageId);
          const before = doneBefore.get(messageId);
          for (const memory of [failures, deferrals, parkedMessages, poisonMessages, doneBefore, inFlight]) memory.delete(messageId);
          if (!state) continue;
          if (poison && !failed.has(messageId)) {
            updateEvent(state, { outcome: 'dead-lettered' });
            continue;
          }
          const outcome = attemptOutcome({ failed: failed.has(messageId), error, deferred, parked });
          const receiveCount = Number(record.attributes.ApproximateReceiveCount) || undefined;
          const why = error ?? (outcome === 'deferred' ? deferred : undefined);
          addAttempt(state, { at: new Date().toISOString(), receiveCount, outcome, ...(why !== undefined ? { error: why } : {}), ms });
          updateEvent(state, {
            outcome: outcome === 'processed' || outcome === 'parked' ? outcome : 'retrying',
            ...(outcome === 'processed' ? { done: howDone(state.event.type, before) } : {}),
            attempts: state.attempts.length,
          });
        }
        if (thrown) throw thrown.error;
        return response ?? { batchItemFailures: [] };
      };
    },

    logged(message, attributes) {
      const delivery = invocation.getStore();
      if (delivery && message === 'Delivery accepted') {
        const conversation = text(attributes.conversation);
        delivery.entry = { ...delivery.entry, type: text(attributes.type), eventId: text(attributes.eventId), conversation, conversationDigest: conversation };
      } else if (delivery && (message === 'Delivery not accepted' || message === 'Delivery failed unexpectedly')) {
        delivery.entry = { ...delivery.entry, reason: text(attributes.reason) ?? 'unexpected_error' };
        const detail = text(attributes.detail) ?? errorText(attributes.error);
        if (detail !== undefined) delivery.detail = detail;
      } else {
        workerLogged(message, attributes);
      }
    },

    refused(answer) {
      const state: DeliveryState = {
        entry: { kind: 'delivery', id: `d${String(seq + 1)}`, seq: ++seq, at: new Date().toISOString(), outcome: 'rejected', status: answer.status, reason: 'no_route' },
        request: { method: answer.method, path: redactText(answer.path), headers: {}, body: '', bodyEncoding: 'utf8', bodyBytes: 0 },
        answer: { status: answer.status, body: '' },
        bytes: 0,
      };
      addDelivery(state);
      emit({ kind: 'entry', entry: state.entry });
    },

    deadLettered(letter) {
      const parsed = WebhookEventSchema.safeParse(letter.body);
      if (parsed.success) updateEvent(eventState(parsed.data), { outcome: 'dead-lettered' });
      emit({ kind: 'dead-letters' });
    },

    deadLettersChanged() {
      emit({ kind: 'dead-letters' });
    },

    processed(event) {
      const state = events.get(event.id);
      if (!state || state.event === event) return;
      const bytes = utf8Bytes(JSON.stringify(event)) - utf8Bytes(JSON.stringify(state.event));
      state.event = event;
      state.bytes += bytes;
      retained += bytes;
      fit();
    },

    parkedChanged() {
      emit({ kind: 'parked' });
    },

    entries() {
      return [...deliveries.values(), ...events.values()].map((state) => state.entry).sort((a, b) => a.seq - b.seq);
    },

    retainedBytes() {
      return retained;
    },

    detail(id) {
      const delivery = deliveries.get(id);
      if (delivery) {
        const event = delivery.entry.eventId ? events.get(delivery.entry.eventId) : undefined;
        return {
          entry: delivery.entry,
          request: delivery.request,
          answer: delivery.answer,
          detail: delivery.detail,
          // As the archive keeps it: the payload's own credentials redacted by the one rule.
          event: event ? archivedEvent(event.event) : undefined,
          attempts: event?.attempts ?? [],
          related: event ? [event.entry.id] : [],
        };
      }
      const event = id.startsWith('e:') ? events.get(id.slice(2)) : undefined;
      if (!event) return undefined;
      return { entry: event.entry, event: archivedEvent(event.event), attempts: event.attempts, related: deliveriesOf(event.event.id).map((state) => state.entry.id) };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
