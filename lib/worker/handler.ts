import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { WebhookEvent } from '../events/schema.js';
import { logEvent } from '../handlers/log-event.js';
import type { EventHandler, EventHandlers } from '../handlers/types.js';
import { parseEventRecord } from './parse-record.js';

export interface WorkerOptions {
  readonly handlers: EventHandlers;
  readonly logger: Logger;
  /** Called after an event's handler succeeded; the local runtime records events here for inspection. */
  readonly onProcessed?: (event: WebhookEvent) => void;
}

/**
 * The worker Lambda handler: an SQS FIFO batch in, `{ batchItemFailures }` out. Powertools' FIFO
 * processor keeps order: once a message fails, the later messages of its group in this batch are
 * reported failed too (other groups go on), and nothing is deleted unprocessed.
 */
export function createWorkerHandler(options: WorkerOptions) {
  const { logger, handlers } = options;

  async function processRecord(record: SQSRecord): Promise<void> {
    try {
      const event = parseEventRecord(record);
      logger.setCorrelationId(event.id);
      // The registry is typed per event type; the lookup by a runtime type needs this one widening.
      const handler = (handlers[event.type] ?? logEvent) as EventHandler<typeof event.type>;
      await handler(event as never, { logger, record });
      options.onProcessed?.(event);
    } catch (error) {
      logger.error('Event failed', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error,
      });
      throw error;
    }
  }

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (batch: SQSEvent, context: Context) => {
      // A processor per invocation: its state is per batch, and the local runtime runs batches concurrently.
      const response = await processPartialResponse(batch, processRecord, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
      if (response.batchItemFailures.length > 0) {
        // Includes the messages held back behind a failure in their group: they were not attempted.
        logger.warn('Batch finished with failures; they will be retried', {
          failed: response.batchItemFailures.map((failure) => failure.itemIdentifier),
        });
      }
      return response;
    });
}
