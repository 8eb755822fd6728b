import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, Context } from 'aws-lambda';
import type { FauxqsServer } from 'fauxqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../../lib/events/schema.js';
import { listDeadLetters } from '../../../dev/local/dead-letters.js';
import { startPoller, type Poller } from '../../../dev/local/poller.js';
import type { LocalQueues } from '../../../dev/fakes/queues.js';
import { messageGroupId, serialiseEvent } from '../../../lib/queue/enqueue.js';
import { localQueueTopology, type QueueTopology } from '../../../lib/queue/topology.js';
import { createWorkerHandler } from '../../../lib/worker/handler.js';
import { cloudEvent } from '../../support/events.js';
import { eventually, queueDepth } from '../../support/local-runtime.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../../dev/fakes/embedded-sqs.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../../support/idempotency-store.js';

// The local topology with a faster clock still: failures come back after 1 s and dead-letter on the 3rd receive.
const topology: QueueTopology = { ...localQueueTopology, visibilityTimeoutSeconds: 1, maxReceiveCount: 3 };

describe('the local SQS event source (poller) driving the worker', () => {
  let embedded: EmbeddedSqs;
  let fauxqs: FauxqsServer;
  let sqs: SQSClient;
  let queues: LocalQueues;
  let poller: Poller | undefined;
  let store: TestIdempotencyStore;

  beforeEach(async () => {
    embedded = await startEmbeddedSqs({ topology, requestTimeoutMs: 5_000 });
    ({ fauxqs, sqs, queues } = embedded);
    store = await startTestIdempotencyStore();
  });
  afterEach(async () => {
    await poller?.stop();
    await embedded.stop();
    await store.stop();
  });

  /** Puts events (or raw bodies) in the queue in one request, so the first receive sees them all. */
  async function enqueueAll(messages: (WebhookEvent | { body: string; group: string; id: string })[]) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.queueUrl,
        Entries: messages.map((m, index) =>
          'body' in m
            ? { Id: String(index), MessageBody: m.body, MessageGroupId: m.group, MessageDeduplicationId: m.id }
            : { Id: String(index), MessageBody: serialiseEvent(m), MessageGroupId: messageGroupId(m), MessageDeduplicationId: m.id },
        ),
      }),
    );
  }

  /** Starts one poller on a worker whose handler fails for the ids in `failing`. */
  function startWorker(failing: ReadonlySet<string>) {
    const processed: string[] = [];
    const attempts = new Map<string, number>();
    const batches: { size: number; failed: number }[] = [];
    const worker = createWorkerHandler({
      logger: new Logger({ logLevel: 'SILENT' }),
      ...store.guards(),
      handlers: {
        'message.received': (event) => {
          attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
          if (failing.has(event.id)) throw new Error(`handler failure for ${event.id}`);
        },
      },
      onProcessed: (event) => processed.push(event.id),
    });
    const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const response = await worker(event, context);
      batches.push({ size: event.Records.length, failed: response.batchItemFailures.length });
      return response;
    };
    poller = startPoller({ sqs, ...queues, region: 'us-east-1', handler, batchSize: 10, concurrency: 1, functionTimeoutMs: 30_000 });
    return { processed, attempts, batches };
  }

  it('deletes only the successes of a partial batch; the failure is retried, then dead-lettered', async () => {
    // Prepare: three conversations, one of whose events always fails
    await enqueueAll([cloudEvent('ok-1', 'conv-a'), cloudEvent('bad', 'conv-b'), cloudEvent('ok-2', 'conv-c')]);

    // Act
    const { processed, attempts, batches } = startWorker(new Set(['bad']));
    await eventually(async () => (await listDeadLetters(sqs, fauxqs.address, topology.localNames.deadLetterQueue, queues.deadLetterQueueUrl)).length === 1);

    // Assess
    expect(batches[0]).toEqual({ size: 3, failed: 1 });
    expect(processed.sort()).toEqual(['ok-1', 'ok-2']);
    expect(attempts.get('ok-1')).toBe(1);
    expect(attempts.get('bad')).toBe(topology.maxReceiveCount);
    const [deadLetter] = await listDeadLetters(sqs, fauxqs.address, topology.localNames.deadLetterQueue, queues.deadLetterQueueUrl);
    expect(deadLetter?.body).toMatchObject({ id: 'bad' });
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(0);
  });

  it('holds back the rest of a failed message group, and processes it in order once the failure is dead-lettered', async () => {
    // Prepare: a1 fails for good; a2 comes after it in the same conversation; b1 is another conversation
    await enqueueAll([cloudEvent('a1', 'conv-a'), cloudEvent('a2', 'conv-a'), cloudEvent('b1', 'conv-b')]);

    // Act
    const { processed, attempts } = startWorker(new Set(['a1']));
    await eventually(() => processed.includes('a2'));

    // Assess: a2 never overtook a1 — it ran once, after a1 had used up its receives
    expect(processed).toEqual(['b1', 'a2']);
    expect(attempts.get('a1')).toBe(topology.maxReceiveCount);
    expect(attempts.get('a2')).toBe(1);
  });

  it('sends a poison message (not a CloudEvent) to the dead-letter queue without calling any handler', async () => {
    // Prepare
    await enqueueAll([{ body: 'this is not a CloudEvent', group: 'poison', id: 'poison-1' }]);

    // Act
    const { attempts } = startWorker(new Set());
    await eventually(async () => (await listDeadLetters(sqs, fauxqs.address, topology.localNames.deadLetterQueue, queues.deadLetterQueueUrl)).length === 1);

    // Assess
    const [deadLetter] = await listDeadLetters(sqs, fauxqs.address, topology.localNames.deadLetterQueue, queues.deadLetterQueueUrl);
    expect(deadLetter).toMatchObject({ body: 'this is not a CloudEvent', messageGroupId: 'poison' });
    expect(attempts.size).toBe(0);
  });
});
