/**
 * Resuming a parked conversation, step by step through the worker itself, with the real park store and idempotency
 * records (dynalite) and the real queue (fauxqs) carrying the resume messages: the cases that would catch a wrong
 * design (a crash between parking and deleting, a resume while the handler still fails, events arriving while
 * parked, a resume that runs out of time, a skip).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { toSqsRecord } from '../../dev/local/sqs-record.js';
import { readArchive } from '../../dev/replay/read-archive.js';
import type { Context } from 'aws-lambda';
import { createLogger } from '../../lib/observability/powertools.js';
import { listParked } from '../../lib/parking/listing.js';
import { resumeConversation } from '../../lib/parking/resume.js';
import { messageGroupId } from '../../lib/queue/enqueue.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore, type TestIdempotencyStore, type WorkerGuards } from '../support/idempotency-store.js';
import { sqsRecord } from '../support/sqs-records.js';

type Worker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

describe('resuming a parked conversation', () => {
  let store: TestIdempotencyStore;
  let queue: EmbeddedSqs;
  let s3: EmbeddedS3;
  let guards: WorkerGuards;
  const broken = new Set<string>();
  const slow = new Set<string>();
  const handled: string[] = [];
  let worker: Worker;

  beforeAll(async () => {
    store = await startTestIdempotencyStore();
    queue = await startEmbeddedSqs();
    s3 = await startEmbeddedS3();
    guards = { ...store.guards({ sqs: queue.sqs, queueUrl: queue.queues.queueUrl, deadLetterQueueUrl: queue.queues.deadLetterQueueUrl }), retry: { attempts: 1, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 0 } };
    worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      ...guards,
      archive: s3,
      handlers: {
        'message.received': async (event) => {
          if (slow.has(event.id)) await sleep(1_500);
          if (broken.has(event.id)) throw new Error(`still broken: ${event.id}`);
          handled.push(event.id);
        },
      },
    });
  });
  afterAll(async () => {
    await store.stop();
    await queue.stop();
    await s3.stop();
  });

  /** Receives what the queue holds (the resume messages) and runs it through the worker, as Lambda's event source would. */
  async function deliverQueued(timeoutMs = 60_000): Promise<number> {
    const { Messages = [] } = await queue.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queues.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    if (Messages.length === 0) return 0;
    const response = await worker({ Records: Messages.map((message) => toSqsRecord(message, queue.queues.queueArn, 'us-east-1')) }, localLambdaContext('worker', timeoutMs));
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const message of Messages) if (!failed.has(message.MessageId ?? '')) await queue.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queues.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    return Messages.length;
  }

  const parkedIn = async (conversation: string) => (await listParked(guards.parkStore)).find((entry) => entry.conversation === conversation);

  it('parks once however often the batch comes back, resumes again at the event that still fails, then in order, across a resume that runs out of time', { timeout: 60_000 }, async () => {
    // Prepare: r-1 fails; r-2 and r-3 follow it in one batch
    const events = ['r-1', 'r-2', 'r-3'].map((id) => cloudEvent(id, 'conv-r'));
    const group = messageGroupId(events[0] ?? cloudEvent('', null));
    broken.add('r-1');
    const batch = { Records: events.map((event, index) => sqsRecord(event, index)) };

    // Act: the batch, then the same batch again (SQS hands it out again after a crash before the deletes)
    const first = await worker(batch, localLambdaContext('worker', 60_000));
    const again = await worker(batch, localLambdaContext('worker', 60_000));

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(await parkedIn(group)).toMatchObject({ state: 'parked', failingEventId: 'r-1', events: ['r-1', 'r-2', 'r-3'] });
    expect(handled).toEqual([]);

    // Act: a resume while the handler still fails
    await resumeConversation(guards.parkStore, { sqs: queue.sqs, queueUrl: queue.queues.queueUrl }, { conversation: group });
    expect(await deliverQueued()).toBe(1);

    // Assess: parked again at r-1, one more attempt counted, nothing lost
    expect(await parkedIn(group)).toMatchObject({ state: 'parked', failingEventId: 'r-1', attempts: 2, events: ['r-1', 'r-2', 'r-3'] });

    // Act: an event arrives while parked; then the fix, and a resume whose invocation has time for one slow event only
    await worker({ Records: [sqsRecord(cloudEvent('r-4', 'conv-r'), 4)] }, localLambdaContext('worker', 60_000));
    broken.delete('r-1');
    slow.add('r-1');
    await resumeConversation(guards.parkStore, { sqs: queue.sqs, queueUrl: queue.queues.queueUrl }, { conversation: group });
    await deliverQueued(22_000);
    const halfway = await parkedIn(group);
    await deliverQueued();

    // Assess: the first invocation ran r-1 and handed the rest to a new resume message; the second ran them, in order
    expect(halfway).toMatchObject({ state: 'resuming', events: ['r-2', 'r-3', 'r-4'] });
    expect(handled).toEqual(['r-1', 'r-2', 'r-3', 'r-4']);
    expect(await parkedIn(group)).toBeUndefined();

    // Act & Assess: the conversation is open again: its next event runs at once
    await worker({ Records: [sqsRecord(cloudEvent('r-5', 'conv-r'), 5)] }, localLambdaContext('worker', 60_000));
    expect(handled.at(-1)).toBe('r-5');
  });

  it('skips only the failing event, records the skip in the archive, and refuses to skip another', { timeout: 60_000 }, async () => {
    // Prepare
    const events = ['s-1', 's-2'].map((id) => cloudEvent(id, 'conv-s'));
    const group = messageGroupId(events[0] ?? cloudEvent('', null));
    broken.add('s-1');
    await worker({ Records: events.map((event, index) => sqsRecord(event, 10 + index)) }, localLambdaContext('worker', 60_000));

    // Act
    const refused = resumeConversation(guards.parkStore, { sqs: queue.sqs, queueUrl: queue.queues.queueUrl }, { conversation: group, skip: 's-2' });
    await expect(refused).rejects.toThrow(/only the failing event can be skipped/);
    await resumeConversation(guards.parkStore, { sqs: queue.sqs, queueUrl: queue.queues.queueUrl }, { conversation: group, skip: 's-1' });
    await deliverQueued();

    // Assess
    expect(handled.filter((id) => id.startsWith('s-'))).toEqual(['s-2']);
    expect(await parkedIn(group)).toBeUndefined();
    const skipped = await readArchive(s3, { id: 's-1', marked: true });
    expect(skipped.events.map((entry) => entry.mark)).toEqual(['skipped']);
  });
});
