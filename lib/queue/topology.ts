/**
 * The queue topology, defined once: the CDK stack and the local runtime both build their queues from
 * this, so what runs on a laptop is what runs in AWS.
 */

/** Settings of the main FIFO queue and its dead-letter queue. */
export interface QueueTopology {
  /** Local queue names; in AWS CloudFormation names the queues (FIFO names end in `.fifo`). */
  readonly localNames: { readonly queue: string; readonly deadLetterQueue: string };
  /** SQS's largest message, set explicitly: a delivery whose event would not fit is answered 413. */
  readonly maximumMessageSizeBytes: number;
  /**
   * How long the main queue keeps an unprocessed event: SQS's maximum, like the DLQ, so an event that no worker
   * receives in time (a broken deploy over a long weekend) is not deleted unprocessed.
   */
  readonly retentionPeriodSeconds: number;
  /** The DLQ keeps failures as long as SQS allows, so operators have time to redrive them. */
  readonly deadLetterRetentionPeriodSeconds: number;
  /**
   * Receives before SQS moves a message to the DLQ: a backstop only. The worker parks a conversation after the retry
   * policy's attempts (5) and moves a message that is no event to the DLQ itself; a healthy message is also received
   * when it is held back behind a failing or slow event of its conversation, so this is set well above both, and
   * only a message that could not be parked (the park store down) reaches it.
   */
  readonly maxReceiveCount: number;
  /** How long a received message stays hidden from other consumers. */
  readonly visibilityTimeoutSeconds: number;
  /** The worker function's timeout; AWS asks for a visibility timeout of at least six times it. */
  readonly workerTimeoutSeconds: number;
  /** Messages per worker invocation (Lambda's FIFO maximum is 10). */
  readonly batchSize: number;
  /** High-throughput FIFO: deduplication and throughput limits per message group. */
  readonly deduplicationScope: 'messageGroup';
  readonly fifoThroughputLimit: 'perMessageGroupId';
}

/** Room for a 20 s handler with its idempotency records, the archive write and a park (`lib/worker/budget.ts`). */
const WORKER_TIMEOUT_SECONDS = 60;
/** SQS's longest message retention, 14 days. */
const SQS_MAX_RETENTION_SECONDS = 14 * 24 * 3600;

/** The topology in AWS. */
export const queueTopology: QueueTopology = {
  localNames: { queue: 'chat-webhook-events.fifo', deadLetterQueue: 'chat-webhook-events-dlq.fifo' },
  maximumMessageSizeBytes: 1_048_576,
  retentionPeriodSeconds: SQS_MAX_RETENTION_SECONDS,
  deadLetterRetentionPeriodSeconds: SQS_MAX_RETENTION_SECONDS,
  maxReceiveCount: 30,
  visibilityTimeoutSeconds: 6 * WORKER_TIMEOUT_SECONDS,
  workerTimeoutSeconds: WORKER_TIMEOUT_SECONDS,
  batchSize: 10,
  deduplicationScope: 'messageGroup',
  fifoThroughputLimit: 'perMessageGroupId',
};

/**
 * The same topology for the local runtime, AWS's proportions included (visibility 6 x the worker's time limit), so a
 * slow handler or a slow store behaves locally as in AWS. What is faster locally is the retry policy's clock
 * (`localRetryPolicy`), not the queue's.
 */
export const localQueueTopology: QueueTopology = { ...queueTopology, localNames: { ...queueTopology.localNames } };
