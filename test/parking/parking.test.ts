/**
 * Issue 20: one failure pauses its own conversation and nothing else. Over real HTTP, the embedded SQS and DynamoDB,
 * with the local runtime's scaled retry policy (1, 2, 4, 8 s).
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { listParked } from '../../lib/parking/listing.js';
import { resumeConversation } from '../../lib/parking/resume.js';
import { eventually, post, qikchatText as qikchat, queueDepth, startTestRuntime } from '../support/local-runtime.js';

/** The handled events, in the order their handler succeeded. */
function recorder() {
  const handled: WebhookEvent[] = [];
  const failing = new Set<string>();
  const handler = (event: WebhookEvent) => {
    const id = (event.data.raw as { payload: { id: string } }).payload.id;
    if (failing.has(id)) throw new Error(`handler broken for ${id}`);
    handled.push(event);
  };
  const idsOf = (conversation: string) => handled.filter((event) => event.data.conversationId === conversation).map((event) => (event.data.raw as { payload: { id: string } }).payload.id);
  return { handled, failing, handler, idsOf };
}

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

describe('a failing handler parks its own conversation', () => {
  it('parks A at its failing event with its 20 followers in order, handles all of B, and resumes A in order, each once', { timeout: 120_000 }, async () => {
    // Prepare
    const handlers = recorder();
    handlers.failing.add('A-00');
    runtime = await startTestRuntime({ handlers: { 'message.received': handlers.handler } });
    const A = Array.from({ length: 21 }, (_, index) => `A-${String(index).padStart(2, '0')}`);
    const B = Array.from({ length: 100 }, (_, index) => `B-${String(index).padStart(3, '0')}`);

    // Act: A's failing event first, then A's followers and B's events interleaved.
    expect((await post(runtime, qikchat('6281111111', 'A-00'))).status).toBe(200);
    for (let index = 0; index < B.length; index++) {
      const a = A[index + 1];
      if (a) expect((await post(runtime, qikchat('6281111111', a))).status).toBe(200);
      expect((await post(runtime, qikchat('6282222222', B[index] ?? ''))).status).toBe(200);
    }
    const active = runtime;
    await eventually(async () => (await listParked(active.parkStore))[0]?.events.length === 21, 60_000);

    // Assess: B all handled in order; A parked whole, in order; nothing dead-lettered, nothing left queued.
    expect(handlers.idsOf('6282222222')).toEqual(B);
    expect(handlers.idsOf('6281111111')).toEqual([]);
    const [parked] = await listParked(runtime.parkStore);
    expect(parked).toMatchObject({ provider: 'qikchat', conversationId: '6281111111', state: 'parked', attempts: 5 });
    expect(parked?.error).toContain('handler broken for A-00');
    expect(parked?.events).toHaveLength(21);
    expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);

    // Act: the handler is fixed, the conversation resumed.
    handlers.failing.clear();
    await resumeConversation(runtime.parkStore, { sqs: runtime.sqs, queueUrl: runtime.queues.queueUrl }, { conversation: parked?.conversation ?? '' });
    await eventually(() => handlers.idsOf('6281111111').length >= 21, 30_000);
    await eventually(async () => (await listParked(active.parkStore)).length === 0);

    // Assess
    expect(handlers.idsOf('6281111111')).toEqual(A);
    expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
  });
});

describe('a message that is no event', () => {
  it('goes to the dead-letter queue alone; its batch neighbours are handled', { timeout: 60_000 }, async () => {
    // Prepare
    const handlers = recorder();
    runtime = await startTestRuntime({ handlers: { 'message.received': handlers.handler }, workerConcurrency: 1 });
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const bodies = Array.from({ length: 9 }, (_, index) => qikchat('6283333333', `C-${String(index)}`));

    // Act: the poison and nine authentic events of one conversation in one batch, sent straight to the queue.
    const normalised = bodies.map((request) => request.expected);
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.queues.queueUrl,
        Entries: [
          { Id: 'poison', MessageBody: '{"not":"an event"', MessageGroupId: 'qikchat:6283333333', MessageDeduplicationId: 'poison' },
          ...normalised.map((event, index) => ({ Id: `e${String(index)}`, MessageBody: JSON.stringify(event), MessageGroupId: 'qikchat:6283333333', MessageDeduplicationId: event.id })),
        ],
      }),
    );
    const active = runtime;
    await eventually(() => handlers.idsOf('6283333333').length === 9);
    await eventually(async () => (await queueDepth(active.sqs, active.queues.deadLetterQueueUrl)) === 1);

    // Assess: only the poison is dead-lettered, received once.
    const { Messages = [] } = await runtime.sqs.send(new ReceiveMessageCommand({ QueueUrl: runtime.queues.deadLetterQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(Messages.map((message) => message.Body)).toEqual(['{"not":"an event"']);
    expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toBe('not_an_event');
    expect(handlers.idsOf('6283333333')).toEqual(bodies.map((_, index) => `C-${String(index)}`));
  });
});
