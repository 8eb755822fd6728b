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
  /**
   * Called when polling itself fails (the queue is unreachable), once per backoff step rather than once per
   * attempt: the poller waits `retryInMs` (doubling up to {@link POLLER_BACKOFF}'s maximum) before it tries again.
   */
  readonly onError?: (error: unknown, retryInMs: number) => void;
  /** Called when an invocation of the worker throws: its whole batch is retried, as in Lambda. */
  readonly onInvocationError?: (error: unknown) => void;
  /** Called once when polling works again after failures. */
  readonly onRecovered?: () => void;
  /** Called when the queue does not exist (the queue server came back empty), before the next attempt: recreate it. */
  readonly onQueueMissing?: () => Promise<void>;
}

/** What the poller last saw of the queue, for `GET /health`. */
export interface PollerStatus {
  /** The error of the last receive, while receives fail. */
  readonly failing?: string | undefined;
}

export interface Poller {
  /** Stops polling and waits for the batches in flight to finish. */
  stop(): Promise<void>;
  status(): PollerStatus;
}

/** Pauses after a failed receive: the first, and the most it doubles up to. */
export const POLLER_BACKOFF = { initialMs: 500, maximumMs: 30_000 } as const;

const QUEUE_MISSING = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);
const isQueueMissing = (error: unknown) => QUEUE_MISSING.has((error as { name?: string } | null)?.name ?? '');

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
  // A function, not the property: TypeScript would keep its narrowing across the awaits between the checks.
  const stopped = () => stopping.signal.aborted;
  // Shared by every loop: one failure pauses them all, and is reported once.
  let failures = 0;
  let resumeAt = 0;
  let failing: string | undefined;
  let recreating: Promise<void> | undefined;

  function failed(error: unknown): void {
    // Another loop already reported this outage and set the pause.
    if (Date.now() < resumeAt) return;
    failures += 1;
    const retryInMs = Math.min(POLLER_BACKOFF.maximumMs, POLLER_BACKOFF.initialMs * 2 ** (failures - 1));
    resumeAt = Date.now() + retryInMs;
    failing = error instanceof Error ? error.message || error.name : String(error);
    options.onError?.(error, retryInMs);
    if (isQueueMissing(error) && options.onQueueMissing && !recreating) {
      recreating = options.onQueueMissing().finally(() => (recreating = undefined));
    }
  }

  function recovered(): void {
    if (failures === 0) return;
    failures = 0;
    resumeAt = 0;
    failing = undefined;
    options.onRecovered?.();
  }

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
    recovered();
    if (messages.length === 0) return;
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)) };

    let failed: Set<string>;
    try {
      const response = await options.handler(event, localLambdaContext('worker', options.functionTimeoutMs));
      failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.onInvocationError?.(error);
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
    while (!stopped()) {
      const wait = resumeAt - Date.now();
      if (wait > 0) await pause(wait, stopping.signal);
      await recreating?.catch(() => undefined);
      if (stopped()) return;
      try {
        await pollOnce();
      } catch (error) {
        if (stopped()) return;
        failed(error);
      }
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
    status: () => ({ failing }),
  };
}
