import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalQueues } from '../../dev/fakes/queues.js';
import { enqueueEvent } from '../../lib/queue/enqueue.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { cloudEvent } from '../support/events.js';
import { startFaultySqs } from '../support/faulty-sqs.js';
import { eventually, queueDepth } from '../support/local-runtime.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';

describe('the enqueue time budget', () => {
  let embedded: EmbeddedSqs;
  let fauxqs: FauxqsServer;
  let sqs: SQSClient;
  let queues: LocalQueues;
  beforeAll(async () => {
    embedded = await startEmbeddedSqs();
    ({ fauxqs, sqs, queues } = embedded);
  });
  afterAll(async () => {
    await embedded.stop();
  });

  // Regression, found by `npm run load`: the budget left over from performance.now() is fractional, and
  // AbortSignal.timeout throws a RangeError on a fractional delay. Whenever more than 100 ms went by before
  // the enqueue (a cold Secrets Manager fetch, a busy event loop), the delivery was answered 503 although
  // the queue was healthy.
  it('enqueues with a fractional number of milliseconds left', async () => {
    // Prepare
    const target = { sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes };
    // Act
    const messageId = await enqueueEvent(target, cloudEvent('fractional-budget', 'conv-budget'), { timeoutMs: 1483.818545 });
    // Assess
    expect(messageId).toEqual(expect.any(String));
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(1);
  });

  // Regression, seen in `npm start`'s log under load: the SDK only warned when an attempt outlived its
  // request timeout and went on waiting, so a hung attempt took the whole deadline and was never retried.
  it('gives up on a hung attempt after the request timeout and retries it within the deadline', async () => {
    // Prepare: the first attempt hangs; once it has arrived, the queue is healthy again
    const proxy = await startFaultySqs(fauxqs.address, 'hang');
    const viaProxy = createSqsClient({ endpoint: proxy.endpoint });
    const target = { sqs: viaProxy, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes };
    const healed = eventually(() => proxy.seen.hang === 1, 5_000).then(() => {
      proxy.mode = 'forward';
    });
    try {
      // Act
      const messageId = await enqueueEvent(target, cloudEvent('hung-then-retried', 'conv-hung'));
      await healed;
      // Assess: one hung attempt, one retry that went through
      expect(messageId).toEqual(expect.any(String));
      expect(proxy.seen).toMatchObject({ hang: 1, forward: 1 });
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });
});
