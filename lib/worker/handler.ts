import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { archiveBatch, type ArchiveDestination, type ArchiveEntry } from '../archive/writer.js';
import type { DeliveryFate, WorkerDestinations } from '../destinations/types.js';
import { GatewayError } from '../events/errors.js';
import type { WebhookEvent } from '../events/schema.js';
import type { EventHandler, EventHandlers } from '../handlers/types.js';
import { storeEventMedia, type MediaStoreOptions } from '../media/event-media.js';
import { BatchMedia } from '../media/metrics.js';
import { conversationDigest, elapsedMs, eventLogKeys } from '../observability/event-log-keys.js';
import type { ParkedConversation, ParkedEvent, ParkStore } from '../parking/park-store.js';
import { sendResumeMessage } from '../parking/resume.js';
import { retryDelaySeconds, type RetryPolicy } from '../parking/retry-policy.js';
import { sendToDeadLetterQueue, setVisibility, type WorkerQueue } from '../queue/worker-queue.js';
import { Budget, WORKER_BUDGET } from './budget.js';
import { CopyCompletedMeanwhileError, EventInProgressError, IdempotencyStoreError, type EventIdempotency } from './idempotency.js';
import { BatchOutcomes, type Outcome } from './outcome-metrics.js';
import { WORKER_LOG } from './log-messages.js';
import { parseQueueMessage, type QueueMessage } from './parse-record.js';
import { failuresOf, isPermanent, retryAfterSeconds, runTargets, targetsOf } from './targets.js';

export interface WorkerOptions {
  readonly handlers: EventHandlers;
  readonly logger: Logger;
  /** Runs each event's handler once per event id (Powertools Idempotency); required, so no handler runs unguarded. */
  readonly idempotency: EventIdempotency;
  /** Where conversations whose handler keeps failing are parked, in order, until resumed. */
  readonly parkStore: ParkStore;
  /** How often a failing event is retried, and how far apart, before its conversation is parked. */
  readonly retry: RetryPolicy;
  /** The queue it consumes (for retry delays and resumes that go on) and its dead-letter queue (for messages that are no event). */
  readonly queue: WorkerQueue;
  /** EMF metrics (outcomes, totals and by provider and type); none locally. */
  readonly metrics?: Metrics | undefined;
  /** X-Ray tracing of the invocation; none locally. */
  readonly tracer?: Tracer | undefined;
  /** Called after an event's handler succeeded; the local runtime records events here for inspection. */
  readonly onProcessed?: (event: WebhookEvent) => void;
  /** Where every batch is archived before any handler runs (the bucket, or Firehose in front of it); no archive when absent. */
  readonly archive?: ArchiveDestination | undefined;
  /** Stores each event's attachment before its handler runs (`lib/media`); no media stored when absent. */
  readonly media?: MediaStoreOptions | undefined;
  /**
   * Destinations the settings create (`createDestinations`): each event also runs through every destination whose
   * filter takes it, beside its code handler, each under its own idempotency record; none when absent.
   */
  readonly destinations?: WorkerDestinations | undefined;
}

/** A record with what it holds, once parsed: an event, a resume message, or a message that is neither (poison). */
type Item = { readonly record: SQSRecord; readonly group: string } & (QueueMessage | { readonly kind: 'poison'; readonly error: unknown });
type EventItem = Extract<Item, { readonly kind: 'event' }>;
type ResumeItem = Extract<Item, { readonly kind: 'resume' }>;
type PoisonItem = Extract<Item, { readonly kind: 'poison' }>;

/** What one run of an event's handler came to. */
type RunResult =
  | { readonly kind: 'done'; readonly outcome: 'processed' | 'duplicate' | 'conflict' }
  /** Not the event's failure (no time left, another run in progress, the idempotency store down): try again soon. */
  | { readonly kind: 'deferred'; readonly reason: string; /** When to try again. */ readonly afterSeconds: number }
  | { readonly kind: 'failed'; readonly error: unknown };

/** An error's message for the park store and the console: its first line, shortened. */
function errorSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}

/** A handler ran past its time limit: its run counts as failed. */
class HandlerTimeoutError extends GatewayError<'handler_timeout'> {
  override readonly name: string = 'HandlerTimeoutError';

  constructor(limitMs: number) {
    super('handler_timeout', `The handler ran past its time limit of ${String(limitMs)} ms`);
  }
}

/** Runs `work` with an AbortSignal that fires after `ms`; rejects then, whether or not the work stops. */
async function withTimeLimit(ms: number, work: (signal: AbortSignal) => Promise<void> | void): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new HandlerTimeoutError(ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    await Promise.race([Promise.resolve().then(() => work(controller.signal)), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The batch's records by message group, each group in queue order, groups in order of first appearance. */
function byGroup<T extends { readonly group: string }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.group) ?? [];
    group.push(item);
    groups.set(item.group, group);
  }
  return [...groups.values()];
}

/** The record of a parked event, as the handler's context carries it: the resume's record with the event's own body and message id. */
function parkedRecord(resume: SQSRecord, parked: ParkedEvent): SQSRecord {
  return { ...resume, body: parked.body, messageId: parked.messageId, attributes: { ...resume.attributes, SequenceNumber: parked.sequence } };
}

/**
 * The worker Lambda handler: an SQS FIFO batch in, `{ batchItemFailures }` out.
 *
 * 1. A message that is no event goes to the dead-letter queue at once, and nothing else waits for it.
 * 2. The batch's events are archived before any handler runs.
 * 3. Each conversation (message group) runs in queue order, conversations side by side. An event whose handler
 *    fails is retried after the policy's delay, its conversation held back behind it; once it has failed
 *    `retry.attempts` times, it and every later event of its conversation are parked, in order, until
 *    `npm run resume` sends the conversation's resume message, which runs them and opens the conversation again.
 */
export function createWorkerHandler(options: WorkerOptions) {
  const { logger, handlers, metrics, tracer, idempotency, archive, parkStore, retry, queue, media, destinations } = options;
  // When a message comes back that failed through no fault of its own event (a store or the queue away): the
  // policy's first delay.
  const comeBackSeconds = retryDelaySeconds(retry, 1);
  // Said once per type and worker instance: a newcomer sees why nothing of theirs ran.
  const unhandledTypes = new Set<string>();

  /** One invocation: what each record came to, and what must come back when. */
  class Invocation {
    readonly outcomes = new Map<string, Outcome>();
    /** Failed records and when they should be received again. */
    readonly retries = new Map<string, { record: SQSRecord; seconds: number }>();
    readonly marks: ArchiveEntry[] = [];
    /** What became of the parked events a resume ran (they are in the park store, not in the batch). */
    readonly resumed: { outcome: Outcome; event: WebhookEvent }[] = [];
    readonly media = new BatchMedia();
    parkedConversations = 0;

    constructor(
      readonly context: Context,
      readonly budget: Budget,
    ) {}

    done(item: { record: SQSRecord }, outcome: Outcome): void {
      this.outcomes.set(item.record.messageId, outcome);
    }

    /** The record fails and is received again in `seconds`. */
    retry(item: { record: SQSRecord }, seconds: number, outcome: Outcome = 'failed'): void {
      this.outcomes.set(item.record.messageId, outcome);
      this.retries.set(item.record.messageId, { record: item.record, seconds });
    }
  }

  function keysOf(item: Item) {
    return { ...(item.kind === 'event' ? eventLogKeys(item.event) : {}), messageId: item.record.messageId, receiveCount: item.record.attributes.ApproximateReceiveCount };
  }

  /**
   * The event with its attachment's file stored (`lib/media`), as its handler (and what follows it) gets it; recorded
   * in the archive (a `media` line) when a file was fetched now. Undefined when no time is left for it.
   */
  async function withMedia(received: WebhookEvent, record: SQSRecord, invocation: Invocation): Promise<WebhookEvent | undefined> {
    if (!media) return received;
    const limitMs = invocation.budget.mediaMs(media.settings.timeLimitMs);
    if (limitMs === 0) return undefined;
    const result = await storeEventMedia(received, media, limitMs);
    invocation.media.add(result);
    if (result.kind === 'stored' || result.kind === 'failed') {
      invocation.marks.push({ event: result.event, sequence: record.attributes.SequenceNumber, mark: 'media' });
      if (result.kind === 'stored') logger.info(WORKER_LOG.mediaStored, { ...eventLogKeys(received), size: result.stored.size, attempts: result.attempts });
      else logger.warn(WORKER_LOG.mediaFailed, { ...eventLogKeys(received), reason: result.failure.reason, error: result.failure.message, attempts: result.attempts });
    }
    return result.event;
  }

  /** The code handler of the event's type, if any. */
  function handlerOf(event: WebhookEvent): EventHandler<typeof event.type> | undefined {
    // The registry is typed per event type; the lookup by a runtime type needs this one widening.
    return handlers[event.type] as EventHandler<typeof event.type> | undefined;
  }

  /** Runs an event's handler once, guarded by idempotency and the time limit. */
  async function runEvent(received: WebhookEvent, record: SQSRecord, invocation: Invocation): Promise<RunResult> {
    if (invocation.budget.handlerMs() === 0) return { kind: 'deferred', reason: 'no time left in this invocation', afterSeconds: 0 };
    // The code handler and each destination that takes the event, each once per event id.
    const targets = targetsOf(received, handlerOf(received), destinations);
    // Its files first: the handler gets where they are; not for a copy every target has handled (it will not run).
    // Idempotency keeps the received event's digest.
    const handledBefore = await idempotency.handledAhead(received, targets.map((target) => target.scope));
    const event = handledBefore ? received : await withMedia(received, record, invocation);
    const limitMs = invocation.budget.handlerMs();
    if (event === undefined || limitMs === 0) return { kind: 'deferred', reason: 'no time left in this invocation', afterSeconds: 0 };
    if (!handlers[event.type] && !unhandledTypes.has(event.type)) {
      unhandledTypes.add(event.type);
      logger.info(WORKER_LOG.noHandler, { type: event.type });
    }
    const started = performance.now();
    try {
      const result = await runTargets(targets, (target) =>
        idempotency.run(received, invocation.context, () => withTimeLimit(limitMs, (signal) => target.run(event, { logger, record, signal, timeLimitMs: limitMs })), target.scope),
      );
      // Ids, type, provider, conversation digest, outcome and time: never the content (that is DEBUG only).
      const keys = { ...eventLogKeys(event), messageId: record.messageId, outcome: result.outcome, durationMs: elapsedMs(started) };
      if (result.outcome === 'duplicate') {
        logger.info(WORKER_LOG.duplicate, keys);
      } else if (result.outcome === 'conflict') {
        logger.warn(WORKER_LOG.conflictingDuplicate, {
          ...keys,
          handledDigest: result.handledDigest,
          copyDigest: result.digest,
        });
        invocation.marks.push({ event, sequence: record.attributes.SequenceNumber, mark: 'conflicting-duplicate' });
      } else {
        if (result.recordError instanceof CopyCompletedMeanwhileError) {
          logger.warn(WORKER_LOG.ranBesideCopy, { ...keys, handledDigest: result.handledDigest, copyDigest: result.digest });
        } else if (result.recordError !== undefined) {
          logger.error('Event processed, but its idempotency record was not completed: a later copy would run again', { ...keys, error: result.recordError });
        }
        logger.info(WORKER_LOG.processed, keys);
        options.onProcessed?.(event);
      }
      return { kind: 'done', outcome: result.outcome };
    } catch (error) {
      if (error instanceof EventInProgressError || error instanceof IdempotencyStoreError) {
        logger.warn(WORKER_LOG.deferred, { ...eventLogKeys(event), messageId: record.messageId, reason: error.reason, error });
        // Not at once: a copy in flight finishes, a store comes back, in the policy's first delay.
        return { kind: 'deferred', reason: error.reason, afterSeconds: comeBackSeconds };
      }
      logger.error(WORKER_LOG.failed, {
        ...eventLogKeys(event),
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        outcome: 'failed',
        durationMs: elapsedMs(started),
        error,
      });
      return { kind: 'failed', error };
    }
  }

  /** The policy's delay after the `attempts`-th failure, or later when a destination's `Retry-After` asked for it. */
  function nextDelaySeconds(attempts: number, error: unknown): number {
    const policy = retryDelaySeconds(retry, attempts);
    return Math.min(retry.maximumDelaySeconds, Math.max(policy, Math.ceil(retryAfterSeconds(error) ?? 0)));
  }

  /** Tells the destinations what became of their failed deliveries (the console and the metrics show it). */
  function settle(event: WebhookEvent, error: unknown, fate: DeliveryFate): void {
    if (destinations) for (const failure of failuresOf(error)) destinations.settle(event, failure, fate);
  }

  /** Counts a failure; the receive count stands in when the park store cannot count. */
  async function failures(item: EventItem, invocation: Invocation): Promise<number> {
    try {
      return await parkStore.countFailure(item.event.id, invocation.budget.signal(WORKER_BUDGET.stepMs));
    } catch (error) {
      logger.error('Counting the failure failed; using the receive count', { ...keysOf(item), error });
      return Number(item.record.attributes.ApproximateReceiveCount) || 1;
    }
  }

  /** Adds an event to its parked conversation. */
  async function park(item: EventItem, invocation: Invocation): Promise<void> {
    await parkStore.add(
      item.group,
      {
        eventId: item.event.id,
        messageId: item.record.messageId,
        sequence: item.record.attributes.SequenceNumber ?? item.record.attributes.SentTimestamp,
        body: item.record.body,
        parkedAt: new Date().toISOString(),
      },
      invocation.budget.signal(WORKER_BUDGET.stepMs),
    );
  }

  /**
   * Runs a conversation's parked events in order for its resume message. Resolves with the conversation's state after:
   * undefined when it is open again.
   */
  async function resume(item: ResumeItem, parked: ParkedConversation, invocation: Invocation): Promise<ParkedConversation | undefined> {
    const { token } = item.resume;
    const signal = () => invocation.budget.signal(WORKER_BUDGET.stepMs);
    const events = await parkStore.events(item.group, signal());
    logger.info('Resuming a parked conversation', { provider: parked.provider, conversation: conversationDigest(parked.conversationId), parked: events.length, skip: parked.resume?.skip });
    for (const [index, entry] of events.entries()) {
      const record = parkedRecord(item.record, entry);
      const message = parseQueueMessage(record);
      if (message.kind !== 'event') continue;
      const { event } = message;
      if (index === 0 && parked.resume?.skip === event.id) {
        // Recorded before it goes: the archive keeps what was dropped and why.
        if (archive) await archiveBatch(archive, [{ event, sequence: entry.sequence, mark: 'skipped' }], new Date(), signal());
        await parkStore.remove(item.group, entry.sequence, signal());
        logger.warn(WORKER_LOG.skipped, { ...eventLogKeys(event), sequence: entry.sequence });
        invocation.resumed.push({ outcome: 'skipped', event });
        continue;
      }
      const result = await runEvent(event, record, invocation);
      if (result.kind === 'done') {
        await parkStore.remove(item.group, entry.sequence, signal());
        invocation.resumed.push({ outcome: result.outcome, event });
        continue;
      }
      if (result.kind === 'deferred') {
        // The idempotency store is away, or a copy in flight: the resume message itself comes back after the delay.
        if (result.afterSeconds > 0) throw new Error(`The resume could not run event ${event.id} now (${result.reason})`);
        // Out of time: a new resume message goes on from here (FIFO queues take no per-message delay, nor need one).
        await sendResumeMessage(queue, item.group, token, entry.sequence, signal());
        logger.info('Resume goes on in another invocation', { ...eventLogKeys(event), reason: result.reason });
        return parked;
      }
      const attempts = await failures({ kind: 'event', record, group: item.group, event }, invocation);
      settle(event, result.error, { parked: true, attempts });
      const failing = { eventId: event.id, error: errorSummary(result.error), attempts };
      await parkStore.repark(item.group, token, failing, signal());
      logger.error(WORKER_LOG.failedAgain, { ...eventLogKeys(event), attempts });
      invocation.parkedConversations++;
      return { ...parked, ...failing, failingEventId: event.id, state: 'parked', resume: undefined };
    }
    await parkStore.reopen(item.group, token, signal());
    logger.info(WORKER_LOG.reopened, { provider: parked.provider, conversation: conversationDigest(parked.conversationId), ran: events.length });
    return undefined;
  }

  /** One conversation's records of the batch, in order. */
  async function conversation(items: readonly (EventItem | ResumeItem)[], initial: ParkedConversation | undefined, invocation: Invocation): Promise<void> {
    let parked = initial;
    for (const [index, item] of items.entries()) {
      const rest = items.slice(index + 1);
      try {
        if (item.kind === 'resume') {
          if (parked?.state === 'resuming' && parked.resume?.token === item.resume.token) parked = await resume(item, parked, invocation);
          else logger.info('Resume message for a conversation not resuming with its token: nothing to do', { messageId: item.record.messageId });
          invocation.done(item, 'control');
          continue;
        }
        if (parked) {
          await park(item, invocation);
          logger.info(WORKER_LOG.eventParked, keysOf(item));
          invocation.done(item, 'parked');
          continue;
        }
        const result = await runEvent(item.event, item.record, invocation);
        if (result.kind === 'done') {
          invocation.done(item, result.outcome);
          continue;
        }
        if (result.kind === 'deferred') {
          invocation.retry(item, result.afterSeconds, 'deferred');
          for (const later of rest) invocation.retry(later, 0, 'held');
          return;
        }
        const attempts = await failures(item, invocation);
        // A permanent failure (a 4xx from a destination, a PermanentDeliveryError) has no attempt left.
        if (attempts < retry.attempts && !isPermanent(result.error)) {
          const seconds = nextDelaySeconds(attempts, result.error);
          settle(item.event, result.error, { nextRetryAt: new Date(Date.now() + seconds * 1_000), attempts });
          invocation.retry(item, seconds);
          for (const later of rest) invocation.retry(later, 0, 'held');
          return;
        }
        const { event } = item;
        settle(event, result.error, { parked: true, attempts });
        const state = {
          conversation: item.group,
          provider: event.provider,
          conversationId: event.data.conversationId,
          failingEventId: event.id,
          error: errorSummary(result.error),
          attempts,
          parkedAt: new Date().toISOString(),
        };
        // The state first: a crash after it leaves the message queued, and its retry finds the conversation parked.
        await parkStore.open(state, invocation.budget.signal(WORKER_BUDGET.stepMs));
        await park(item, invocation);
        parked = { ...state, state: 'parked' };
        invocation.parkedConversations++;
        logger.error(WORKER_LOG.conversationParked, {
          ...keysOf(item),
          attempts,
        });
        invocation.done(item, 'parked');
      } catch (error) {
        // The park store or SQS failed: this record and the rest of its conversation stay queued, in order.
        logger.error('Parking or resuming failed; the conversation is retried', { ...keysOf(item), error });
        invocation.retry(item, comeBackSeconds, 'failed');
        for (const later of rest) invocation.retry(later, 0, 'held');
        return;
      }
    }
  }

  function parse(record: SQSRecord): Item {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    try {
      return { record, group, ...parseQueueMessage(record) };
    } catch (error) {
      return { record, group, kind: 'poison', error };
    }
  }

  async function handle(batch: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const invocation = new Invocation(context, new Budget(context));
    const items = batch.Records.map(parse);
    const signal = () => invocation.budget.signal(WORKER_BUDGET.stepMs);

    // 1. No event: to the dead-letter queue now, so that it holds back nothing.
    const poison = items.filter((item): item is PoisonItem => item.kind === 'poison');
    if (poison.length > 0) {
      try {
        await sendToDeadLetterQueue(queue, poison.map((item) => item.record), 'not_an_event', signal());
        for (const item of poison) {
          logger.error(WORKER_LOG.poison, { messageId: item.record.messageId, error: item.error });
          invocation.done(item, 'dead-lettered');
        }
      } catch (error) {
        logger.error('Moving messages that are no event to the dead-letter queue failed; they are retried', { error });
        for (const item of poison) invocation.retry(item, comeBackSeconds);
      }
    }
    const messages = items.filter((item): item is EventItem | ResumeItem => item.kind !== 'poison');

    // 2. The archive, before any handler, and 3. which conversations are parked: side by side, one wait instead of
    // two. A batch the archive lacks, or whose conversations could not be read, is not handled: it comes back.
    const events = messages.filter((item): item is EventItem => item.kind === 'event');
    // Their idempotency records too: each run then takes its read instead of waiting for one.
    idempotency.readAhead(events.flatMap(({ event }) => targetsOf(event, handlerOf(event), destinations).map((target) => ({ event, target: target.scope }))));
    const [archived, found] = await Promise.allSettled([
      archive && events.length > 0
        ? archiveBatch(
            archive,
            events.map((item) => ({ event: item.event, sequence: item.record.attributes.SequenceNumber })),
            new Date(),
            invocation.budget.signal(WORKER_BUDGET.archiveMs),
          )
        : Promise.resolve(),
      messages.length > 0
        ? parkStore.find(
            messages.map((item) => item.group),
            signal(),
          )
        : Promise.resolve(new Map<string, ParkedConversation>()),
    ]);
    if (archived.status === 'rejected') {
      logger.error('Archiving the batch failed; no event of it is handled, all will be retried', { error: archived.reason, size: batch.Records.length });
    }
    if (found.status === 'rejected') logger.error('Reading the park store failed; no event of the batch is handled, all will be retried', { error: found.reason });
    const ready = archived.status === 'fulfilled' && found.status === 'fulfilled';
    const parked = found.status === 'fulfilled' ? found.value : new Map<string, ParkedConversation>();
    if (!ready) {
      for (const item of messages) invocation.retry(item, comeBackSeconds, 'held');
    } else {
      await Promise.all(byGroup(messages).map((group) => conversation(group, parked.get(group[0]?.group ?? ''), invocation)));
    }

    // Recorded after: the conflicting copies (not run) and the events as their handlers got them, with their stored media.
    if (archive && invocation.marks.length > 0) {
      await archiveBatch(archive, invocation.marks, new Date(), signal()).catch((error: unknown) => logger.error('Archiving the marked copies failed', { error }));
    }

    // When each failed message comes back: a failing event after its delay, the rest of its conversation right away.
    const refused = await setVisibility(queue, [...invocation.retries.values()], invocation.budget.signal(WORKER_BUDGET.reserveMs));
    if (refused.length > 0) logger.warn('SQS did not take the retry delays; those messages come back after the visibility timeout', { refused });

    if (metrics) publish(metrics, items, invocation);
    destinations?.publishMetrics?.();
    const failed = [...invocation.retries.keys()];
    if (failed.length > 0) logger.warn('Batch finished with failures; they will be retried', { failed });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  }

  function publish(target: Metrics, items: readonly Item[], invocation: Invocation): void {
    const outcomes = new BatchOutcomes();
    for (const item of items) {
      const outcome = invocation.outcomes.get(item.record.messageId) ?? 'failed';
      const event = item.kind === 'event' ? item.event : undefined;
      outcomes.add(outcome, event);
    }
    for (const { outcome, event } of invocation.resumed) outcomes.add(outcome, event);
    outcomes.publish(target, { parkedConversations: invocation.parkedConversations });
    if (media) invocation.media.publish(target);
  }

  const middlewares: MiddlewareObj<SQSEvent, SQSBatchResponse>[] = [
    ...(tracer ? [captureLambdaHandler(tracer, { captureResponse: false })] : []),
    injectLambdaContext(logger, { resetKeys: true }),
    ...(metrics ? [logMetrics(metrics, { captureColdStartMetric: true })] : []),
  ];

  return middy<SQSEvent, SQSBatchResponse>().use(middlewares).handler(handle);
}

