import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueTopology } from '../../lib/queue/topology.js';
import { acknowledgeCfnGuard } from '../policy-validation.js';
import { runbookLine } from './monitoring/alarm-kit.js';

// The topology's names for the FIFO modes, mapped to CDK's enums; a new mode in the topology fails to compile here.
const deduplicationScopes = {
  messageGroup: DeduplicationScope.MESSAGE_GROUP,
} satisfies Record<QueueTopology['deduplicationScope'], DeduplicationScope>;
const fifoThroughputLimits = {
  perMessageGroupId: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
} satisfies Record<QueueTopology['fifoThroughputLimit'], FifoThroughputLimit>;

export interface EventQueueProps {
  /** The queue settings, shared with the local runtime (`lib/queue/topology.ts`). */
  readonly topology: QueueTopology;
}

/**
 * The FIFO queue between the receivers and the worker, and its FIFO dead-letter queue, built from the same
 * {@link QueueTopology} the local runtime uses. High-throughput FIFO (deduplication and throughput per message
 * group), 1 MiB messages, SQS-managed encryption, TLS enforced by the queue policies, and an alarm as soon
 * as a message is dead-lettered.
 */
export class EventQueue extends Construct {
  /** The main queue: receivers send, the worker consumes. */
  readonly queue: Queue;
  /**
   * Messages that are no event (the worker moves them here itself) and events received `maxReceiveCount` times without
   * being handled or parked (the park store unavailable); kept as long as SQS allows.
   */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds a message; `GatewayMonitoring` gives it its actions. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EventQueueProps) {
    super(scope, id);
    const { topology } = props;

    // AWS: a visibility timeout of at least six times the function's timeout, so a batch that is retried by
    // Lambda's poller is not handed out twice while still being processed.
    if (topology.visibilityTimeoutSeconds < 6 * topology.workerTimeoutSeconds) {
      throw new Error(
        `queue topology: visibility timeout ${topology.visibilityTimeoutSeconds} s is less than 6 x the worker timeout ` +
          `(${topology.workerTimeoutSeconds} s)`,
      );
    }

    // No queue names: CloudFormation generates them (with the `.fifo` suffix), so two stacks never collide.
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      retentionPeriod: Duration.seconds(topology.deadLetterRetentionPeriodSeconds),
      maxMessageSizeBytes: topology.maximumMessageSizeBytes,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeCfnGuard(
      this.deadLetterQueue,
      'sqs_dlq_check',
      'This is the dead-letter queue: nothing consumes it, so no message fails there; a redrive sends its ' +
        'messages back to the main queue, which has this one as its dead-letter queue.',
    );

    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      // The receivers set MessageDeduplicationId to the event id; never deduplicate on the body.
      contentBasedDeduplication: false,
      deduplicationScope: deduplicationScopes[topology.deduplicationScope],
      fifoThroughputLimit: fifoThroughputLimits[topology.fifoThroughputLimit],
      maxMessageSizeBytes: topology.maximumMessageSizeBytes,
      retentionPeriod: Duration.seconds(topology.retentionPeriodSeconds),
      visibilityTimeout: Duration.seconds(topology.visibilityTimeoutSeconds),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: topology.maxReceiveCount },
    });

    this.deadLetterAlarm = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A message is in the dead-letter queue. Either it is no event (the worker moved it there itself, with the ' +
          'message attribute reason=not_an_event, and logged "Message is not an event"): read it in the SQS console and ' +
          `delete it; or it is an event received ${topology.maxReceiveCount} times that could be neither handled nor ` +
          'parked, because a store the worker needs kept failing (park table, idempotency table, archive or SQS; the ' +
          "worker's ERROR lines say which): it has not reached your handlers. Once that is fixed, run `npm run redrive` " +
          'to move it back to the queue. ' +
          runbookLine('An event is in the dead-letter queue'),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
  }
}
