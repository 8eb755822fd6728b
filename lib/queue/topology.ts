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
  /** Receives before a message moves to the DLQ. */
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

const WORKER_TIMEOUT_SECONDS = 30;
/** SQS's longest message retention, 14 days. */
const SQS_MAX_RETENTION_SECONDS = 14 * 24 * 3600;

/** The topology in AWS. */
export const queueTopology: QueueTopology = {
  localNames: { queue: 'chat-webhook-events.fifo', deadLetterQueue: 'chat-webhook-events-dlq.fifo' },
  maximumMessageSizeBytes: 1_048_576,
  retentionPeriodSeconds: SQS_MAX_RETENTION_SECONDS,
  deadLetterRetentionPeriodSeconds: SQS_MAX_RETENTION_SECONDS,
  maxReceiveCount: 5,
  visibilityTimeoutSeconds: 6 * WORKER_TIMEOUT_SECONDS,
  workerTimeoutSeconds: WORKER_TIMEOUT_SECONDS,
  batchSize: 10,
  deduplicationScope: 'messageGroup',
  fifoThroughputLimit: 'perMessageGroupId',
};

/**
 * The same topology for the local runtime: only the clock is faster, so that a failing message is retried
 * and dead-lettered within seconds instead of minutes (5 receives x 3 s is well inside 30 s).
 */
export const localQueueTopology: QueueTopology = {
  ...queueTopology,
  visibilityTimeoutSeconds: 3,
};
