/**
 * Failures that end in the dead-letter queue, with the DEFAULT local topology (3-second visibility,
 * 5 receives): a poison message, and a handler that throws; then `npm run redrive` brings the failed
 * events back. The two cases run concurrently, each on its own runtime, so the file takes ~20 s.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../dev/local/dead-letters.js';
import { messageGroupId, serialiseEvent } from '../../lib/queue/enqueue.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { cloudEvent } from '../support/events.js';
import { eventually, post, queueDepth, signedSample, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

const run = promisify(execFile);

async function deadLetters(url: string): Promise<DeadLetter[]> {
  return (await (await fetch(`${url}/_local/dead-letters`)).json()) as DeadLetter[];
}

describe.concurrent('dead letters with the default local topology', () => {
  it('moves a poison message (not a CloudEvent) to the DLQ within 30 s, shown at GET /_local/dead-letters', { timeout: 60_000 }, async () => {
    // Prepare
    expect(localQueueTopology.visibilityTimeoutSeconds * localQueueTopology.maxReceiveCount).toBeLessThan(30);
    const runtime = await startTestRuntime();
    try {
      const poison = [
        { body: 'this is not a CloudEvent', group: 'poison:text' },
        { body: JSON.stringify({ specversion: '1.0', id: 'half-an-event' }), group: 'poison:json' },
      ];

      // Act: straight into the queue, past the receivers; a real delivery goes through meanwhile
      for (const [index, message] of poison.entries()) {
        await runtime.sqs.send(
          new SendMessageCommand({ QueueUrl: runtime.queues.queueUrl, MessageBody: message.body, MessageGroupId: message.group, MessageDeduplicationId: `poison-${index}` }),
        );
      }
      const delivery = await signedSample('qikchat');
      const answer = await post(runtime, delivery);
      await eventually(async () => (await deadLetters(runtime.url)).length === poison.length, 30_000);

      // Assess
      const listed = await deadLetters(runtime.url);
      expect(listed.map((letter) => [letter.messageGroupId, letter.body])).toEqual(
        expect.arrayContaining([
          ['poison:text', 'this is not a CloudEvent'],
          ['poison:json', { specversion: '1.0', id: 'half-an-event' }],
        ]),
      );
      expect(answer.status).toBe(200);
      expect(runtime.events().map((event) => event.id)).toEqual([delivery.expected.id]);
      expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
    } finally {
      await runtime.stop();
    }
  });

  it('retries a throwing handler, dead-letters its event without holding up the batch, and redrives it with npm run redrive', { timeout: 60_000 }, async () => {
    // Prepare: one worker, so the messages come in one batch as far as FIFO allows; b-1 fails until fixed
    const events = [cloudEvent('a-1', 'conv-a'), cloudEvent('b-1', 'conv-b'), cloudEvent('b-2', 'conv-b'), cloudEvent('c-1', 'conv-c')];
    let broken = true;
    const attempts: { id: string; receiveCount: string }[] = [];
    const runtime = await startTestRuntime({
      workerConcurrency: 1,
      handlers: {
        'message.received': (event, { record }) => {
          attempts.push({ id: event.id, receiveCount: record.attributes.ApproximateReceiveCount });
          if (broken && event.id === 'b-1') throw new Error('handler failure');
        },
      },
    });
    const attemptsOf = (id: string) => attempts.filter((attempt) => attempt.id === id).map((attempt) => attempt.receiveCount);
    try {
      // Act
      await runtime.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: runtime.queues.queueUrl,
          Entries: events.map((event, index) => ({ Id: String(index), MessageBody: serialiseEvent(event), MessageGroupId: messageGroupId(event), MessageDeduplicationId: event.id })),
        }),
      );
      await eventually(async () => (await deadLetters(runtime.url)).some((letter) => (letter.body as { id?: string }).id === 'b-1'), 30_000);
      const dead = (await deadLetters(runtime.url)).map((letter) => (letter.body as { id: string }).id);

      // Assess: b-1 was tried maxReceiveCount times; the other conversations were processed once, on their first receive
      expect(attemptsOf('b-1')).toEqual(['1', '2', '3', '4', '5']);
      expect(attemptsOf('a-1')).toEqual(['1']);
      expect(attemptsOf('c-1')).toEqual(['1']);
      // b-2 never overtook b-1: it was not tried while b-1 was still being retried. (Once b-1 is dead-lettered,
      // b-2 goes on; an SQS server that delivered it in b-1's batches dead-letters it with b-1 instead.)
      const lastTryOfB1 = attempts.map((attempt) => attempt.id).lastIndexOf('b-1');
      expect(attempts.slice(0, lastTryOfB1).some((attempt) => attempt.id === 'b-2')).toBe(false);
      expect(dead[0]).toBe('b-1');
      expect(dead.every((id) => id.startsWith('b-'))).toBe(true);

      // Act: the handler is fixed; redrive from another process, as an operator would
      broken = false;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'dev/cli/redrive.ts', '--url', runtime.url], { timeout: 30_000 });
      await waitForEvent(runtime, (event) => event.id === 'b-1');
      await waitForEvent(runtime, (event) => event.id === 'b-2');

      // Assess: every event processed exactly once in the end; the DLQ is empty
      expect(stdout).toContain(`Redriven: ${dead.length} message${dead.length === 1 ? '' : 's'} moved back to the main queue`);
      expect(runtime.events().map((event) => event.id).sort()).toEqual(['a-1', 'b-1', 'b-2', 'c-1']);
      expect(await deadLetters(runtime.url)).toEqual([]);
    } finally {
      await runtime.stop();
    }
  });
});
