import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { localQueueTopology, queueTopology } from '../../lib/queue/topology.js';
import { startTestRuntime } from '../support/local-runtime.js';
import { synthGateway } from './synth.js';

interface QueueProperties {
  FifoQueue?: boolean;
  ContentBasedDeduplication?: boolean;
  DeduplicationScope?: string;
  FifoThroughputLimit?: string;
  MaximumMessageSize?: number;
  MessageRetentionPeriod?: number;
  VisibilityTimeout?: number;
  RedrivePolicy?: { maxReceiveCount: number };
}

describe('the local runtime runs the queue topology the stack deploys', () => {
  let runtime: LocalRuntime;
  let deployed: { main: QueueProperties; dlq: QueueProperties };

  beforeAll(async () => {
    // Prepare: the synthesised stack's queues, and a local runtime built from the same definitions
    const { template } = synthGateway({ bundle: false });
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as { Properties: QueueProperties }[];
    const main = queues.find((q) => q.Properties.RedrivePolicy)?.Properties;
    const dlq = queues.find((q) => !q.Properties.RedrivePolicy)?.Properties;
    if (!main || !dlq) throw new Error('the stack has no queue with a DLQ');
    deployed = { main, dlq };
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  async function attributes(queueUrl: string) {
    const { Attributes = {} } = await runtime.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    return Attributes;
  }

  it('has the same FIFO settings, size limit, retention and redrive as the deployed main queue', async () => {
    // Act
    const local = await attributes(runtime.queues.queueUrl);

    // Assess
    expect(local).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: String(deployed.main.ContentBasedDeduplication ?? false),
      DeduplicationScope: deployed.main.DeduplicationScope,
      FifoThroughputLimit: deployed.main.FifoThroughputLimit,
      MaximumMessageSize: String(deployed.main.MaximumMessageSize),
      MessageRetentionPeriod: String(deployed.main.MessageRetentionPeriod),
    });
    expect(JSON.parse(local.RedrivePolicy ?? '{}')).toMatchObject({
      maxReceiveCount: deployed.main.RedrivePolicy?.maxReceiveCount,
      deadLetterTargetArn: runtime.queues.deadLetterQueueArn,
    });
  });

  it('differs only in the visibility timeout: the same retries on a faster clock', async () => {
    // Act
    const local = await attributes(runtime.queues.queueUrl);

    // Assess
    expect(deployed.main.VisibilityTimeout).toBe(queueTopology.visibilityTimeoutSeconds);
    expect(local.VisibilityTimeout).toBe(String(localQueueTopology.visibilityTimeoutSeconds));
    expect({ ...localQueueTopology, visibilityTimeoutSeconds: 0 }).toEqual({ ...queueTopology, visibilityTimeoutSeconds: 0 });
  });

  it('has a FIFO dead-letter queue with the deployed retention', async () => {
    // Act
    const local = await attributes(runtime.queues.deadLetterQueueUrl);

    // Assess
    expect(deployed.dlq.FifoQueue).toBe(true);
    expect(local).toMatchObject({ FifoQueue: 'true', MessageRetentionPeriod: String(deployed.dlq.MessageRetentionPeriod) });
  });
});
