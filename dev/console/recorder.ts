/**
 * The console's memory: what the receivers and the worker do locally, recorded where the local runtime calls them
 * and where their log items are made. Credentials are redacted as the request is recorded, so they never reach
 * the page. Bounded: the oldest entries are dropped first.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { WebhookEventSchema, type WebhookEvent } from '../../lib/events/schema.js';
import type { DeadLetter } from '../local/dead-letters.js';
import { eventLogKeys } from '../../lib/observability/event-log-keys.js';
import { redactHeaders, type Attempt, type ConsoleEntry, type DeliveryEntry, type EntryDetail, type EventEntry, type RecordedRequest } from './model.js';

type Receiver = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Worker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
type Attributes = Readonly<Record<string, unknown>>;

/** What changed, for the live list. */
type ConsoleChange = { readonly kind: 'entry'; readonly entry: ConsoleEntry } | { readonly kind: 'dead-letters' };

export interface ConsoleRecorder {
  /** A receiver whose invocations are recorded as deliveries. */
  receiver(slug: string, handler: Receiver): Receiver;
  /** A worker whose invocations are recorded as attempts on their events. */
  worker(handler: Worker): Worker;
  /** A log item of the functions (any level, printed or not): a rejection's reason, a failure's error. */
  logged(message: string, attributes: Attributes): void;
  /** An answer the server gave without a receiver. */
  refused(answer: { readonly method: string; readonly path: string; readonly status: number }): void;
  /** An event reached the dead-letter queue. */
  deadLettered(letter: DeadLetter): void;
  /** The dead-letter queue changed otherwise (a redrive). */
  deadLettersChanged(): void;
  /** Every entry, oldest first. */
  entries(): readonly ConsoleEntry[];
  detail(id: string): EntryDetail | undefined;
  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (change: ConsoleChange) => void): () => void;
}

interface DeliveryState {
  entry: DeliveryEntry;
  request?: RecordedRequest;
  answer?: { status: number; body: string };
  detail?: string;
}

interface EventState {
  entry: EventEntry;
  event: WebhookEvent;
  attempts: Attempt[];
}

function parseOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function recordRequest(event: APIGatewayProxyEventV2): RecordedRequest {
  const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  let body: string;
  let bodyEncoding: RecordedRequest['bodyEncoding'] = 'utf8';
  try {
    body = strictUtf8.decode(bytes);
  } catch {
    body = bytes.toString('base64');
    bodyEncoding = 'base64';
  }
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return { method: event.requestContext.http.method, path: `${event.rawPath}${query}`, headers: redactHeaders(event.headers), body, bodyEncoding };
}

function errorText(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  return value !== null && typeof value === 'object' ? text((value as { message?: unknown }).message) : undefined;
}

/**
 * A recorder keeping at most `limit` deliveries and `limit` events.
 *
 * @example const recorder = createConsoleRecorder(); receivers.set(slug, recorder.receiver(slug, handler));
 */
export function createConsoleRecorder(limit = 5_000): ConsoleRecorder {
  const deliveries = new Map<string, DeliveryState>();
  const events = new Map<string, EventState>();
  const listeners = new Set<(change: ConsoleChange) => void>();
  const invocation = new AsyncLocalStorage<DeliveryState>();
  // The error of a worker attempt, by SQS message id, from the worker's `Event failed` log item.
  const failures = new Map<string, string>();
  let seq = 0;

  const emit = (change: ConsoleChange) => {
    for (const listener of listeners) listener(change);
  };
  const trim = <T>(map: Map<string, T>) => {
    if (map.size > limit) map.delete(map.keys().next().value ?? '');
  };
  const deliveriesOf = (eventId: string) => [...deliveries.values()].filter((state) => state.entry.eventId === eventId);

  function addDelivery(state: DeliveryState): void {
    deliveries.set(state.entry.id, state);
    trim(deliveries);
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
    trim(events);
    for (const delivery of deliveriesOf(event.id)) {
      delivery.entry = { ...delivery.entry, conversation, type: event.type };
      emit({ kind: 'entry', entry: delivery.entry });
    }
    return state;
  }

  return {
    receiver(slug, handler) {
      return async (event, context) => {
        const started = performance.now();
        const state: DeliveryState = {
          entry: { kind: 'delivery', id: `d${String(seq + 1)}`, seq: ++seq, at: new Date().toISOString(), provider: slug, outcome: 'rejected', status: 0 },
          request: recordRequest(event),
        };
        const result = await invocation.run(state, () => handler(event, context));
        const status = result.statusCode ?? 200;
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
          const error = failures.get(record.messageId);
          failures.delete(record.messageId);
          if (!state) continue;
          const outcome: Attempt['outcome'] = !failed.has(record.messageId) ? 'processed' : error !== undefined ? 'failed' : 'held back';
          const receiveCount = Number(record.attributes.ApproximateReceiveCount) || undefined;
          state.attempts.push({ at: new Date().toISOString(), receiveCount, outcome, ...(error !== undefined ? { error } : {}), ms });
          updateEvent(state, { outcome: outcome === 'processed' ? 'processed' : 'retrying', attempts: state.attempts.length });
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
      } else if (message === 'Event failed') {
        const messageId = text(attributes.messageId);
        if (messageId) failures.set(messageId, errorText(attributes.error) ?? 'error');
        if (failures.size > limit) failures.delete(failures.keys().next().value ?? '');
      }
    },

    refused(answer) {
      const state: DeliveryState = {
        entry: { kind: 'delivery', id: `d${String(seq + 1)}`, seq: ++seq, at: new Date().toISOString(), outcome: 'rejected', status: answer.status, reason: 'no_route' },
        request: { method: answer.method, path: answer.path, headers: {}, body: '', bodyEncoding: 'utf8' },
        answer: { status: answer.status, body: '' },
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

    entries() {
      return [...deliveries.values(), ...events.values()].map((state) => state.entry).sort((a, b) => a.seq - b.seq);
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
          event: event?.event,
          attempts: event?.attempts ?? [],
          related: event ? [event.entry.id] : [],
        };
      }
      const event = id.startsWith('e:') ? events.get(id.slice(2)) : undefined;
      if (!event) return undefined;
      return { entry: event.entry, event: event.event, attempts: event.attempts, related: deliveriesOf(event.event.id).map((state) => state.entry.id) };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
