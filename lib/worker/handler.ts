import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { archiveBatch, type ArchiveEntry, type ArchiveStore } from '../archive/writer.js';
import type { WebhookEvent } from '../events/schema.js';
import { logEvent } from '../handlers/log-event.js';
import { elapsedMs, eventLogKeys } from '../observability/event-log-keys.js';
import type { EventHandler, EventHandlers } from '../handlers/types.js';
import type { EventIdempotency } from './idempotency.js';
import { BatchOutcomes, type Outcome } from './outcome-metrics.js';
import { parseEventRecord } from './parse-record.js';

export interface WorkerOptions {
  readonly handlers: EventHandlers;
  readonly logger: Logger;
  /** Runs each event's handler once per event id (Powertools Idempotency); required, so no handler runs unguarded. */
  readonly idempotency: EventIdempotency;
  /** EMF metrics (processed, failed; totals and by provider and type); none locally. */
  readonly metrics?: Metrics | undefined;
  /** X-Ray tracing of the invocation; none locally. */
  readonly tracer?: Tracer | undefined;
  /** Called after an event's handler succeeded; the local runtime records events here for inspection. */
  readonly onProcessed?: (event: WebhookEvent) => void;
  /** Where every batch is archived before any handler runs; no archive when absent. */
  readonly archive?: ArchiveStore | undefined;
}

function failEvery(batch: SQSEvent): SQSBatchResponse {
  return { batchItemFailures: batch.Records.map((record) => ({ itemIdentifier: record.messageId })) };
}

/** A record parsed: its event, or why it is none. */
type ParsedRecord = { readonly event: WebhookEvent } | { readonly error: unknown };

/** Each record's event, or why it has none: parsed once, for the archive, the handler and the metrics. */
class BatchEvents {
  readonly #parsed = new Map<string, ParsedRecord>();

  #entry(record: SQSRecord): ParsedRecord {
    let entry = this.#parsed.get(record.messageId);
    if (!entry) {
      try {
        entry = { event: parseEventRecord(record) };
      } catch (error) {
        entry = { error };
      }
      this.#parsed.set(record.messageId, entry);
    }
    return entry;
  }

  /** The record's event; throws why it is not one. */
  of(record: SQSRecord): WebhookEvent {
    const entry = this.#entry(record);
    if ('error' in entry) throw entry.error;
    return entry.event;
  }

  /** The record's event, or undefined when it is not one. */
  find(record: SQSRecord): WebhookEvent | undefined {
    const entry = this.#entry(record);
    return 'event' in entry ? entry.event : undefined;
  }
}

/** The events of a batch that parse, in batch order; the others fail in their own processing, unarchived. */
function archiveEntries(batch: SQSEvent, events: BatchEvents): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  for (const record of batch.Records) {
    const event = events.find(record);
    if (event) entries.push({ event, sequence: record.attributes.SequenceNumber });
  }
  return entries;
}

/**
 * The worker Lambda handler: an SQS FIFO batch in, `{ batchItemFailures }` out. Powertools' FIFO
 * processor keeps order: once a message fails, the later messages of its group in this batch are
 * reported failed too (other groups go on), and nothing is deleted unprocessed.
 */
export function createWorkerHandler(options: WorkerOptions) {
  const { logger, handlers, metrics, tracer, idempotency, archive } = options;

  /** Step 1: the archive. False when it did not take the batch, which then must not be handled. */
  async function archived(batch: SQSEvent, events: BatchEvents): Promise<boolean> {
    if (!archive) return true;
    try {
      await archiveBatch(archive, archiveEntries(batch, events));
      return true;
    } catch (error) {
      logger.error('Archiving the batch failed; no event of it is handled, all will be retried', { error, size: batch.Records.length });
      return false;
    }
  }

  async function processRecord(record: SQSRecord, events: BatchEvents, context: Context, duplicates: Set<string>): Promise<void> {
    const started = performance.now();
    const seen = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
    let event: WebhookEvent | undefined;
    try {
      // A const for the closure: the narrowing of `event` does not reach into it.
      const current = events.of(record);
      event = current;
      logger.setCorrelationId(current.id);
      // The registry is typed per event type; the lookup by a runtime type needs this one widening.
      const handler = (handlers[current.type] ?? logEvent) as EventHandler<typeof current.type>;
      const run = await idempotency.run(current, context, async () => handler(current, { logger, record }));
      // Ids, type, provider, conversation digest, outcome and time: never the content (that is DEBUG only).
      const keys = { ...eventLogKeys(event), ...seen, outcome: run.outcome, durationMs: elapsedMs(started) };
      if (run.outcome === 'duplicate') {
        duplicates.add(record.messageId);
        logger.info('Event is a duplicate: its handler already ran; acknowledged', keys);
        return;
      }
      if (run.recordError !== undefined) {
        logger.error('Event processed, but its idempotency record was not completed: a later copy would run again', {
          ...keys,
          error: run.recordError,
        });
      }
      logger.info('Event processed', keys);
      options.onProcessed?.(event);
    } catch (error) {
      logger.error('Event failed', { ...(event ? eventLogKeys(event) : {}), ...seen, outcome: 'failed', durationMs: elapsedMs(started), error });
      throw error;
    }
  }

  /** Step 2: each event. `duplicates` collects the messages whose event already ran. */
  function processBatch(batch: SQSEvent, events: BatchEvents, context: Context, duplicates: Set<string>): Promise<SQSBatchResponse> {
    // A processor per invocation: its state is per batch, and the local runtime runs batches concurrently.
    return processPartialResponse(batch, (record: SQSRecord) => processRecord(record, events, context, duplicates), new SqsFifoPartialProcessorAsync(), {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  }

  const middlewares: MiddlewareObj<SQSEvent, SQSBatchResponse>[] = [
    ...(tracer ? [captureLambdaHandler(tracer, { captureResponse: false })] : []),
    injectLambdaContext(logger, { resetKeys: true }),
    ...(metrics ? [logMetrics(metrics, { captureColdStartMetric: true })] : []),
  ];

  return middy<SQSEvent, SQSBatchResponse>()
    .use(middlewares)
    .handler(async (batch: SQSEvent, context: Context) => {
      // Step 1, the archive; step 2, each event. A batch the archive lacks is not handled: every message fails
      // and comes back, so no handler ever runs on an event the archive does not hold.
      const duplicates = new Set<string>();
      const events = new BatchEvents();
      const response = (await archived(batch, events)) ? await processBatch(batch, events, context, duplicates) : failEvery(batch);
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      if (metrics) {
        const outcomes = new BatchOutcomes();
        const outcomeOf = (id: string): Outcome => (failed.has(id) ? 'failed' : duplicates.has(id) ? 'duplicate' : 'processed');
        for (const record of batch.Records) outcomes.add(outcomeOf(record.messageId), events.find(record));
        outcomes.publish(metrics);
      }
      if (failed.size > 0) {
        // Includes the messages held back behind a failure in their group: they were not attempted.
        logger.warn('Batch finished with failures; they will be retried', { failed: [...failed] });
      }
      return response;
    });
}
