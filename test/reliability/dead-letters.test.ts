/**
 * With the DEFAULT local settings: a poison message goes to the dead-letter queue at once and alone; a handler that
 * throws is retried with the retry policy's backoff and then parks its conversation, never reaching the DLQ; an event
 * that could not be parked (the park store down) is dead-lettered by SQS and `npm run redrive` brings it back.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../dev/local/dead-letters.js';
import { messageGroupId, serialiseEvent } from '../../lib/queue/enqueue.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { startEmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { listParked } from '../../lib/parking/listing.js';
import { localRetryPolicy } from '../../lib/parking/retry-policy.js';
import { cloudEvent } from '../support/events.js';
import { startFaultyDynamoDb } from '../support/faulty-sqs.js';
import { eventually, post, queueDepth, signedSample, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

const run = promisify(execFile);

async function deadLetters(url: string): Promise<DeadLetter[]> {
  return (await (await fetch(`${url}/_local/dead-letters`)).json()) as DeadLetter[];
}

describe.concurrent('dead letters with the default local topology', () => {
  it('moves a poison message (not a CloudEvent) to the DLQ at once, shown at GET /_local/dead-letters', { timeout: 60_000 }, async () => {
    // Prepare
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
      await waitForEvent(runtime, (event) => event.id === delivery.expected.id);

      // Assess
      const listed = await deadLetters(runtime.url);
      expect(listed.map((letter) => [letter.messageGroupId, letter.body])).toEqual(
        expect.arrayContaining([
          ['poison:text', 'this is not a CloudEvent'],
          ['poison:json', { specversion: '1.0', id: 'half-an-event' }],
        ]),
      );
      expect(listed.map((letter) => letter.reason)).toEqual(['not_an_event', 'not_an_event']);
      expect(answer.status).toBe(200);
      expect(runtime.events().map((event) => event.id)).toEqual([delivery.expected.id]);
      expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
    } finally {
      await runtime.stop();
    }
  });

  it('retries a throwing handler with backoff, parks its conversation, and never dead-letters it; the others go on at once', { timeout: 60_000 }, async () => {
    // Prepare: one worker, so the messages come in one batch as far as FIFO allows; b-1 always fails
    const events = [cloudEvent('a-1', 'conv-a'), cloudEvent('b-1', 'conv-b'), cloudEvent('b-2', 'conv-b'), cloudEvent('c-1', 'conv-c')];
    const attempts: { id: string; receiveCount: string }[] = [];
    const runtime = await startTestRuntime({
      workerConcurrency: 1,
      handlers: {
        'message.received': (event, { record }) => {
          attempts.push({ id: event.id, receiveCount: record.attributes.ApproximateReceiveCount });
          if (event.id === 'b-1') throw new Error('handler failure');
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
      await eventually(async () => (await listParked(runtime.parkStore))[0]?.events.length === 2, 40_000);

      // Assess: b-1 ran the policy's attempts; b-2 never ran and is parked behind it; the others ran once, at once
      expect(attemptsOf('b-1')).toEqual(['1', '2', '3', '4', '5'].slice(0, localRetryPolicy.attempts));
      expect(attemptsOf('b-2')).toEqual([]);
      expect(attemptsOf('a-1')).toEqual(['1']);
      expect(attemptsOf('c-1')).toEqual(['1']);
      expect((await listParked(runtime.parkStore))[0]?.events).toEqual(['b-1', 'b-2']);
      expect(await deadLetters(runtime.url)).toEqual([]);
    } finally {
      await runtime.stop();
    }
  });

  it('dead-letters an event that could not be parked (the park store down), and redrives it with npm run redrive', { timeout: 60_000 }, async () => {
    // Prepare: a park store that answers 500s, and SQS dead-lettering on the 2nd receive
    const dynamodb = await startEmbeddedDynamoDb();
    const parkStore = await startFaultyDynamoDb(dynamodb.endpoint, 'error');
    const runtime = await startTestRuntime({ topology: { ...localQueueTopology, maxReceiveCount: 1 }, parkStoreEndpoint: parkStore.endpoint, deadLetterCheckMs: 100 });
    try {
      const delivery = await signedSample('qikchat');

      // Act
      expect((await post(runtime, delivery)).status).toBe(200);
      await eventually(async () => (await deadLetters(runtime.url)).length === 1, 30_000);
      const [letter] = await deadLetters(runtime.url);
      parkStore.mode = 'forward';
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'dev/cli/redrive.ts', '--url', runtime.url], { timeout: 30_000 });
      await waitForEvent(runtime, (event) => event.id === delivery.expected.id);

      // Assess
      expect(letter).toMatchObject({ reason: null, body: { id: delivery.expected.id } });
      expect(stdout).toContain('Redriven: 1 message moved back to the main queue');
      expect(await deadLetters(runtime.url)).toEqual([]);
    } finally {
      await runtime.stop();
      await parkStore.close();
      await dynamodb.stop();
    }
  });
});
