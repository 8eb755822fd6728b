/** The recorder's outbound attempts, in-process: the event's conversation added, the bound, an event's detail and the stream. */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createConsoleRecorder } from '../../../dev/console/recorder.js';
import type { DeliveryAttempt } from '../../../lib/destinations/types.js';
import { sqsRecord } from '../../support/sqs-records.js';
import { qikchatText } from '../../support/local-runtime.js';

const attempt = (eventId: string, changes: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  destination: 'crm',
  eventId,
  type: 'message.received',
  provider: 'qikchat',
  attempt: 1,
  outcome: 'delivered',
  status: 204,
  latencyMs: 4,
  at: '2026-12-07T03:00:00.000Z',
  ...changes,
});

describe('the console recorder of outbound attempts', () => {
  it('keeps each attempt in order with the conversation of an event it saw, streams it, and lists an event’s in its detail', async () => {
    // Prepare: the worker received the event (so the recorder knows its conversation)
    const recorder = createConsoleRecorder();
    const { expected } = qikchatText('6281000000777', 'O-1');
    const worker = recorder.worker(() => Promise.resolve({ batchItemFailures: [] }));
    await worker({ Records: [sqsRecord(expected, 0)] }, {} as Context);
    const streamed: unknown[] = [];
    recorder.subscribe((change) => {
      if (change.kind === 'attempt') streamed.push(change.attempt);
    });

    // Act
    recorder.outbound(attempt(expected.id, { outcome: 'retry', status: 503, nextRetryAt: '2026-12-07T03:00:01.000Z', error: 'HTTP 503' }));
    recorder.outbound(attempt(expected.id, { attempt: 2 }));
    recorder.outbound(attempt('qikchat:in:unseen'));

    // Assess
    const listed = recorder.outboundAttempts();
    expect(listed.map((found) => [found.eventId, found.outcome, found.attempt, found.conversation])).toEqual([
      [expected.id, 'retry', 1, '6281000000777'],
      [expected.id, 'delivered', 2, '6281000000777'],
      ['qikchat:in:unseen', 'delivered', 1, undefined],
    ]);
    expect(streamed).toEqual(listed);
    expect(recorder.detail(`e:${expected.id}`)?.outbound).toEqual(listed.slice(0, 2));
  });

  it('keeps the last `limit` attempts', () => {
    // Prepare
    const recorder = createConsoleRecorder({ limit: 3 });

    // Act
    for (const n of [1, 2, 3, 4, 5]) recorder.outbound(attempt(`qikchat:in:${String(n)}`));

    // Assess
    expect(recorder.outboundAttempts().map((found) => found.eventId)).toEqual(['qikchat:in:3', 'qikchat:in:4', 'qikchat:in:5']);
    expect(recorder.outboundAttempts({}, 1).map((found) => found.eventId)).toEqual(['qikchat:in:5']);
  });
});
