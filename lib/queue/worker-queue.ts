/**
 * What the worker itself asks of SQS, beyond Lambda's event source: when a failed message comes back, and moving a
 * message that is no event straight to the dead-letter queue, so it never holds back or fails its neighbours.
 */
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { GatewayError } from '../events/errors.js';

/** The worker's variables naming its queues (the stack sets them). */
export const QUEUE_URL_VARIABLE = 'QUEUE_URL';
export const DEAD_LETTER_QUEUE_URL_VARIABLE = 'DEAD_LETTER_QUEUE_URL';

export interface WorkerQueue {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** SQS refused or did not answer a call the worker made itself. */
class WorkerQueueError extends GatewayError<'worker_queue_failed'> {
  override readonly name: string = 'WorkerQueueError';

  constructor(message: string, options?: ErrorOptions) {
    super('worker_queue_failed', message, options);
  }
}

/** SQS takes ten entries a batch call. */
const ENTRIES_PER_CALL = 10;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += ENTRIES_PER_CALL) out.push(items.slice(start, start + ENTRIES_PER_CALL));
  return out;
}

/**
 * Sets when each failed message is received again: a failing event after its retry delay; a message held back
 * behind it at once (its group stays blocked while the failing one is in flight).
 *
 * @returns the message ids SQS did not take (they come back after the queue's visibility timeout instead)
 */
export async function setVisibility(queue: WorkerQueue, changes: readonly { record: SQSRecord; seconds: number }[], signal?: AbortSignal): Promise<string[]> {
  const refused: string[] = [];
  for (const part of chunks(changes)) {
    try {
      const result = await queue.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: part.map(({ record, seconds }, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds })),
        }),
        { abortSignal: signal },
      );
      for (const failed of result.Failed ?? []) refused.push(part[Number(failed.Id)]?.record.messageId ?? '');
    } catch {
      refused.push(...part.map(({ record }) => record.messageId));
    }
  }
  return refused;
}

/**
 * Sends messages that are no event to the dead-letter queue as they are, with why in a message attribute; the
 * caller then lets them be deleted from the main queue.
 *
 * @throws WorkerQueueError when the dead-letter queue did not take every one (they stay in the main queue)
 */
export async function sendToDeadLetterQueue(queue: WorkerQueue, records: readonly SQSRecord[], reason: string, signal?: AbortSignal): Promise<void> {
  for (const part of chunks(records)) {
    let result;
    try {
      result = await queue.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.deadLetterQueueUrl,
          Entries: part.map((record, index) => ({
            Id: String(index),
            MessageBody: record.body === '' ? ' ' : record.body,
            MessageGroupId: record.attributes.MessageGroupId ?? 'not-an-event',
            MessageDeduplicationId: record.messageId,
            MessageAttributes: { reason: { DataType: 'String', StringValue: reason } },
          })),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new WorkerQueueError(`The dead-letter queue did not take ${String(part.length)} messages`, { cause: error });
    }
    if ((result.Failed ?? []).length > 0) throw new WorkerQueueError(`The dead-letter queue refused ${String(result.Failed?.length)} messages`, { cause: result.Failed });
  }
}
