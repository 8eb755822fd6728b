/**
 * Moving dead-lettered messages back to the main queue, so that they are processed again once the cause
 * of their failure is fixed. In AWS that is an SQS message move task; SQS-compatible servers that have no
 * move tasks (fauxqs, the local runtime's) get the same effect from receive, send and delete.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isSqsId } from '../../lib/events/sqs-id.js';

/** What a redrive did. */
export interface RedriveReport {
  /** `copy`: received, re-sent and deleted one by one; `move-task`: an SQS message move task. */
  readonly method: 'copy' | 'move-task';
  /** Messages now back in the main queue (for a move task, SQS's approximate count). */
  readonly moved: number;
  /** A move task's final status (`COMPLETED`, `FAILED`, `CANCELLED`...); absent for a copy. */
  readonly status?: string;
  /** Why a move task failed, as SQS says. */
  readonly failureReason?: string;
}

/** A redrive that stopped part-way; `moved` messages made it back before it did. */
export class RedriveError extends Error {
  readonly moved: number;
  constructor(message: string, moved: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedriveError';
    this.moved = moved;
  }
}

/**
 * The deduplication id of a redriven message. It must differ from the original's: within SQS's 5-minute
 * window the main queue would otherwise drop the redriven message as a duplicate of the first delivery,
 * while answering as if it had taken it. One per dead letter, so redriving the same dead letter twice
 * (a retried redrive) is still deduplicated.
 */
export function redriveDeduplicationId(originalId: string, deadLetterMessageId: string): string {
  const id = `${originalId}:redrive:${deadLetterMessageId}`;
  return isSqsId(id) ? id : `redrive:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

function attributesOf(message: Message): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(message.MessageAttributes ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}

export interface CopyRedriveOptions {
  readonly sqs: SQSClient;
  readonly deadLetterQueueUrl: string;
  /** Where the messages go: the queue that dead-lettered them. */
  readonly queueUrl: string;
  /** Stop after this many messages. Default 100,000. */
  readonly maxMessages?: number;
  /** How long a received dead letter stays hidden while it is moved; it reappears if the move dies. Default 30. */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * Redrives by copying: receives dead letters, sends each to the main queue with the same body, message
 * group and attributes and a new deduplication id ({@link redriveDeduplicationId}), and deletes it from
 * the DLQ only after the send succeeded. Messages are re-sent in the order received, one at a time, so a
 * conversation's order holds. Ends when the DLQ answers with no message.
 *
 * For SQS-compatible servers without message move tasks (fauxqs); in AWS use {@link redriveWithMoveTask}.
 *
 * @throws RedriveError when a send or delete fails; the message it was on stays in the DLQ
 */
export async function redriveByCopy(options: CopyRedriveOptions): Promise<RedriveReport> {
  const limit = options.maxMessages ?? 100_000;
  let moved = 0;
  while (moved < limit) {
    const { Messages: messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, limit - moved),
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 30,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) break;
    for (const message of messages) {
      const group = message.Attributes?.MessageGroupId;
      const attributes = attributesOf(message);
      try {
        await options.sqs.send(
          new SendMessageCommand({
            QueueUrl: options.queueUrl,
            MessageBody: message.Body ?? '',
            ...(attributes ? { MessageAttributes: attributes } : {}),
            // FIFO only: a standard queue takes neither.
            ...(group
              ? {
                  MessageGroupId: group,
                  MessageDeduplicationId: redriveDeduplicationId(
                    message.Attributes?.MessageDeduplicationId ?? message.MessageId ?? '',
                    message.MessageId ?? '',
                  ),
                }
              : {}),
          }),
        );
      } catch (error) {
        throw new RedriveError(`Sending dead letter ${String(message.MessageId)} back failed; it stays in the DLQ`, moved, { cause: error });
      }
      try {
        await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
      } catch (error) {
        // It is in both queues now; a second redrive would send it again, under the same deduplication id.
        throw new RedriveError(`Dead letter ${String(message.MessageId)} was sent back but not deleted from the DLQ`, moved + 1, { cause: error });
      }
      moved++;
    }
  }
  return { method: 'copy', moved };
}

export interface MoveTaskRedriveOptions {
  readonly sqs: SQSClient;
  /** ARN of the dead-letter queue. */
  readonly deadLetterQueueArn: string;
  /** ARN of the queue to move to; SQS moves each message back to the queue it came from when absent. */
  readonly destinationArn?: string;
  /** Default 2 s. */
  readonly pollIntervalMs?: number;
  /** Give up waiting (the task goes on in SQS) after this long. Default 15 minutes. */
  readonly timeoutMs?: number;
  /** Called on every poll with the task's progress. */
  readonly onProgress?: (moved: number, toMove: number | undefined) => void;
}

const FINISHED = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/**
 * Redrives with an SQS message move task (`StartMessageMoveTask`), then polls `ListMessageMoveTasks`
 * until the task has finished, and reports how many messages it moved.
 *
 * @throws RedriveError when the task did not finish within `timeoutMs` (it keeps running in SQS)
 */
export async function redriveWithMoveTask(options: MoveTaskRedriveOptions): Promise<RedriveReport> {
  const started = Date.now();
  await options.sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: options.deadLetterQueueArn,
      ...(options.destinationArn ? { DestinationArn: options.destinationArn } : {}),
    }),
  );
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  let moved = 0;
  while (Date.now() - started < timeoutMs) {
    // The most recent task of this source comes first; it is ours (SQS runs one task per source at a time).
    const { Results: tasks = [] } = await options.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: options.deadLetterQueueArn, MaxResults: 1 }));
    const task = tasks[0];
    moved = task?.ApproximateNumberOfMessagesMoved ?? moved;
    options.onProgress?.(moved, task?.ApproximateNumberOfMessagesToMove);
    if (task?.Status && FINISHED.has(task.Status)) {
      return {
        method: 'move-task',
        moved,
        status: task.Status,
        ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
    }
    await sleep(options.pollIntervalMs ?? 2_000);
  }
  throw new RedriveError('The message move task has not finished yet; it goes on in SQS (see the DLQ in the SQS console)', moved);
}
