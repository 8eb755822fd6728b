import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';
import { toSqsRecord } from './sqs-record.js';

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Messages per invocation (Lambda's FIFO maximum: 10). */
  readonly batchSize: number;
  /** Concurrent pollers, like concurrent Lambda invocations; FIFO still serves one batch per group at a time. */
  readonly concurrency: number;
  /** The worker function's timeout, for its context's clock. */
  readonly functionTimeoutMs: number;
  /** Called when polling itself fails (the queue is unreachable); the poller retries after a pause. */
  readonly onError?: (error: unknown) => void;
}

export interface Poller {
  /** Stops polling and waits for the batches in flight to finish. */
  stop(): Promise<void>;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Drives the worker handler the way Lambda's SQS event source does: receives batches, invokes the
 * function, deletes only the messages it did not report failed. Failed messages stay in the queue,
 * reappear after the visibility timeout, and move to the DLQ after `maxReceiveCount` receives; an
 * invocation that throws fails its whole batch, as in Lambda.
 */
export function startPoller(options: PollerOptions): Poller {
  const stopping = new AbortController();

  async function pollOnce(): Promise<void> {
    const { Messages: messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: stopping.signal },
    );
    if (messages.length === 0) return;
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)) };

    let failed: Set<string>;
    try {
      const response = await options.handler(event, localLambdaContext('worker', options.functionTimeoutMs));
      failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.onError?.(error);
      return;
    }
    const succeeded = messages.filter((m) => m.MessageId && !failed.has(m.MessageId));
    if (succeeded.length === 0) return;
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: succeeded.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }

  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await pollOnce();
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may have aborted it during the await.
        if (stopping.signal.aborted) return;
        options.onError?.(error);
        await pause(1_000, stopping.signal);
      }
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}
