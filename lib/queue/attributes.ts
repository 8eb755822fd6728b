import type { QueueTopology } from './topology.js';

/** The SQS attributes of the dead-letter queue, from the topology. */
export function deadLetterQueueAttributes(topology: QueueTopology): Record<string, string> {
  return {
    FifoQueue: 'true',
    MessageRetentionPeriod: String(topology.deadLetterRetentionPeriodSeconds),
    MaximumMessageSize: String(topology.maximumMessageSizeBytes),
  };
}

/** The SQS attributes of the main FIFO queue, from the topology, redriving to the given DLQ. */
export function mainQueueAttributes(topology: QueueTopology, deadLetterQueueArn: string): Record<string, string> {
  return {
    FifoQueue: 'true',
    ContentBasedDeduplication: 'false',
    DeduplicationScope: topology.deduplicationScope,
    FifoThroughputLimit: topology.fifoThroughputLimit,
    MaximumMessageSize: String(topology.maximumMessageSizeBytes),
    MessageRetentionPeriod: String(topology.retentionPeriodSeconds),
    VisibilityTimeout: String(topology.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: topology.maxReceiveCount }),
  };
}
