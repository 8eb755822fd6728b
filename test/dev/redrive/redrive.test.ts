import {
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalQueues } from '../../../dev/fakes/queues.js';
import { redriveByCopy, redriveDeduplicationId, RedriveError, redriveWithMoveTask } from '../../../dev/redrive/redrive.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../../dev/fakes/embedded-sqs.js';

describe('redriveDeduplicationId', () => {
  it('derives a new id from the original and the dead letter, within SQS limits', () => {
    // Act & Assess
    expect(redriveDeduplicationId('chatzuri:message.received:42', 'dlq-1')).toBe('chatzuri:message.received:42:redrive:dlq-1');
    const long = redriveDeduplicationId(`qikchat:${'x'.repeat(120)}`, 'dlq-1');
    expect(long).toMatch(/^redrive:sha256:[0-9a-f]{64}$/);
    expect(long).toBe(redriveDeduplicationId(`qikchat:${'x'.repeat(120)}`, 'dlq-1'));
    expect(long).not.toBe(redriveDeduplicationId(`qikchat:${'x'.repeat(120)}`, 'dlq-2'));
  });
});

describe('redriveByCopy against the embedded SQS server', () => {
  let embedded: EmbeddedSqs;
  let sqs: SQSClient;
  let queues: LocalQueues;

  beforeEach(async () => {
    embedded = await startEmbeddedSqs({ requestTimeoutMs: 5_000 });
    ({ sqs, queues } = embedded);
  });
  afterEach(async () => {
    await embedded.stop();
  });

  async function sendTo(queueUrl: string, body: string, group: string, deduplicationId: string) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: deduplicationId,
        MessageAttributes: { provider: { DataType: 'String', StringValue: 'chatzuri' }, type: { DataType: 'String', StringValue: 'message.received' } },
      }),
    );
  }

  /** Takes every message out of a queue (FIFO hands out a group's next message only once the last is deleted). */
  async function drain(queueUrl: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (let round = 0; round < 20; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
      messages.push(...Messages);
    }
    return messages;
  }

  it('moves every dead letter back with its body, group and attributes, in order, under a new deduplication id', async () => {
    // Prepare: the originals went through the main queue minutes ago, under the same deduplication ids
    const letters = [
      { body: '{"id":"e1"}', group: 'chatzuri:conv-1', id: 'chatzuri:e1' },
      { body: '{"id":"e2"}', group: 'chatzuri:conv-1', id: 'chatzuri:e2' },
      { body: 'not even JSON', group: 'chatzuri:conv-2', id: 'chatzuri:e3' },
    ];
    for (const letter of letters) {
      await sendTo(queues.queueUrl, letter.body, letter.group, letter.id);
      await sendTo(queues.deadLetterQueueUrl, letter.body, letter.group, letter.id);
    }
    await drain(queues.queueUrl); // processed and deleted; the 5-minute deduplication window still remembers their ids

    // Act
    const report = await redriveByCopy({ sqs, deadLetterQueueUrl: queues.deadLetterQueueUrl, queueUrl: queues.queueUrl });

    // Assess
    expect(report).toEqual({ method: 'copy', moved: 3 });
    expect(await drain(queues.deadLetterQueueUrl)).toEqual([]);
    const back = await drain(queues.queueUrl);
    const byGroup = (entries: { group: string | undefined; body: string | undefined }[]) =>
      entries.reduce<Record<string, (string | undefined)[]>>((groups, { group = '', body }) => ({ ...groups, [group]: [...(groups[group] ?? []), body] }), {});
    expect(byGroup(back.map((m) => ({ group: m.Attributes?.MessageGroupId, body: m.Body })))).toEqual(byGroup(letters));
    for (const letter of letters) {
      expect(back.find((m) => m.Body === letter.body)?.Attributes?.MessageDeduplicationId).toMatch(new RegExp(`^${letter.id}:redrive:`));
    }
    expect(back.map((m) => m.MessageAttributes?.provider?.StringValue)).toEqual(['chatzuri', 'chatzuri', 'chatzuri']);
  });

  it('reports 0 for an empty DLQ', async () => {
    // Act & Assess
    expect(await redriveByCopy({ sqs, deadLetterQueueUrl: queues.deadLetterQueueUrl, queueUrl: queues.queueUrl })).toEqual({ method: 'copy', moved: 0 });
  });

  it('leaves a dead letter in the DLQ when sending it back fails', async () => {
    // Prepare
    await sendTo(queues.deadLetterQueueUrl, '{"id":"e1"}', 'g', 'e1');

    // Act
    const attempt = redriveByCopy({ sqs, deadLetterQueueUrl: queues.deadLetterQueueUrl, queueUrl: `${queues.queueUrl}-missing`, visibilityTimeoutSeconds: 0 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RedriveError);
    await expect(attempt).rejects.toMatchObject({ moved: 0 });
    expect((await drain(queues.deadLetterQueueUrl)).map((m) => m.Body)).toEqual(['{"id":"e1"}']);
  });
});

describe('redriveWithMoveTask', () => {
  // fauxqs has no message move tasks: an SQS client that answers like AWS does, for these two calls only.
  function awsLikeSqs(statuses: { Status: string; ApproximateNumberOfMessagesMoved: number; FailureReason?: string }[]) {
    const calls: unknown[] = [];
    let poll = 0;
    const sqs = {
      send: async (command: unknown) => {
        calls.push(command);
        if (command instanceof StartMessageMoveTaskCommand) return { TaskHandle: 'task-1' };
        if (command instanceof ListMessageMoveTasksCommand) return { Results: [statuses[Math.min(poll++, statuses.length - 1)]] };
        throw new Error('unexpected command');
      },
    } as unknown as SQSClient;
    return { sqs, calls };
  }

  it('starts a move task from the DLQ, waits until it completes and reports how many moved', async () => {
    // Prepare
    const { sqs, calls } = awsLikeSqs([
      { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1 },
      { Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 },
    ]);
    const progress: number[] = [];

    // Act
    const report = await redriveWithMoveTask({ sqs, deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:1:dlq.fifo', pollIntervalMs: 1, onProgress: (moved) => progress.push(moved) });

    // Assess
    expect(report).toEqual({ method: 'move-task', moved: 3, status: 'COMPLETED' });
    expect(progress).toEqual([1, 3]);
    const [start, list] = calls as [StartMessageMoveTaskCommand, ListMessageMoveTasksCommand];
    expect(start.input).toEqual({ SourceArn: 'arn:aws:sqs:eu-west-1:1:dlq.fifo' });
    expect(list.input).toEqual({ SourceArn: 'arn:aws:sqs:eu-west-1:1:dlq.fifo', MaxResults: 1 });
  });

  it('moves to a given destination, and reports a failed task with its reason', async () => {
    // Prepare
    const { sqs, calls } = awsLikeSqs([{ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0, FailureReason: 'AccessDenied' }]);

    // Act
    const report = await redriveWithMoveTask({ sqs, deadLetterQueueArn: 'arn:dlq', destinationArn: 'arn:main', pollIntervalMs: 1 });

    // Assess
    expect(report).toEqual({ method: 'move-task', moved: 0, status: 'FAILED', failureReason: 'AccessDenied' });
    expect((calls[0] as StartMessageMoveTaskCommand).input).toEqual({ SourceArn: 'arn:dlq', DestinationArn: 'arn:main' });
  });

  it('stops waiting after its timeout, saying the task goes on', async () => {
    // Prepare
    const { sqs } = awsLikeSqs([{ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 }]);

    // Act & Assess
    await expect(redriveWithMoveTask({ sqs, deadLetterQueueArn: 'arn:dlq', pollIntervalMs: 1, timeoutMs: 20 })).rejects.toMatchObject({ name: 'RedriveError', moved: 2 });
  });
});
