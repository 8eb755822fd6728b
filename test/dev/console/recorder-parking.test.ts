/**
 * What the recorder makes of the worker's parking log items, without a runtime: a parked record is shown parked
 * (the batch answer reports it done), a run of a resume (from the park store) is recorded as it happens, a skipped
 * event is skipped, a deferred one says why.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createConsoleRecorder, type ConsoleRecorder } from '../../../dev/console/recorder.js';
import { localLambdaContext } from '../../../dev/local/lambda-context.js';
import { cloudEvent } from '../../support/events.js';
import { sqsRecord } from '../../support/sqs-records.js';

const PARKED = 'Conversation parked: its event kept failing; it and every later event of its conversation wait for npm run resume';
const FOLLOWER_PARKED = 'Event parked: its conversation is parked';

/** Records of events `ids` of one conversation: messages `m-0`, `m-1`... */
const events = (ids: readonly string[]) => ids.map((id, index) => sqsRecord(cloudEvent(id, 'conv-1'), index));
/** The record of a resume's control message. */
const resumeMessage = sqsRecord({ body: JSON.stringify({ gatewayControl: 'resume', conversation: 'chatzuri:conv-1', token: 't-1' }), group: 'chatzuri:conv-1' }, 99);

/** One worker invocation on `records` whose handler logs what `log` says and answers `failed`. */
async function invoke(recorder: ConsoleRecorder, records: SQSRecord[], log: (logged: ConsoleRecorder['logged']) => void, failed: readonly string[] = []): Promise<void> {
  const worker = recorder.worker((): Promise<SQSBatchResponse> => {
    log((message, attributes) => recorder.logged(message, attributes));
    return Promise.resolve({ batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) });
  });
  await worker({ Records: records }, localLambdaContext('worker', 60_000));
}

const outcomes = (recorder: ConsoleRecorder, id: string) => recorder.detail(`e:${id}`)?.attempts.map((attempt) => `${attempt.outcome}${attempt.error ? `: ${attempt.error}` : ''}`);

describe('console recorder: parked conversations', () => {
  it('shows the failing event and its follower parked, not processed, and tells the page the parked list changed', async () => {
    // Prepare
    const recorder = createConsoleRecorder();
    const changes: string[] = [];
    recorder.subscribe((change) => changes.push(change.kind));

    // Act: the failing event's last run parks its conversation; the follower in the same batch is parked behind it
    await invoke(recorder, events(['a', 'b']), (logged) => {
      logged('Event failed', { messageId: 'm-0', eventId: 'a', error: new Error('the CRM is down') });
      logged(PARKED, { messageId: 'm-0', eventId: 'a', attempts: 5 });
      logged(FOLLOWER_PARKED, { messageId: 'm-1', eventId: 'b' });
    });

    // Assess
    expect(recorder.detail('e:a')?.entry.outcome).toBe('parked');
    expect(recorder.detail('e:b')?.entry.outcome).toBe('parked');
    expect(outcomes(recorder, 'a')).toEqual(['parked: the CRM is down']);
    expect(outcomes(recorder, 'b')).toEqual(['parked']);
    expect(changes.filter((kind) => kind === 'parked')).toHaveLength(2);
  });

  it('records the runs of a resume as they happen: processed, failed again, skipped', async () => {
    // Prepare: three events parked
    const recorder = createConsoleRecorder();
    await invoke(recorder, events(['a', 'b', 'c']), (logged) => {
      logged('Event failed', { messageId: 'm-0', eventId: 'a', error: new Error('down') });
      logged(PARKED, { messageId: 'm-0', eventId: 'a', attempts: 5 });
      logged(FOLLOWER_PARKED, { messageId: 'm-1', eventId: 'b' });
      logged(FOLLOWER_PARKED, { messageId: 'm-2', eventId: 'c' });
    });

    // Act: the resume's invocation holds only its control message; the parked events run with their own message ids
    await invoke(recorder, [resumeMessage], (logged) => {
      logged('Parked event skipped on resume: its handler does not run', { eventId: 'a', sequence: '1000' });
      logged('Event processed', { eventId: 'b', messageId: 'm-1', durationMs: 4.5 });
      logged('Event failed', { eventId: 'c', messageId: 'm-2', durationMs: 2, error: new Error('down again') });
      logged('Resumed event failed again: its conversation is parked again at it', { eventId: 'c', attempts: 1 });
    });

    // Assess
    expect(recorder.detail('e:a')?.entry.outcome).toBe('skipped');
    expect(recorder.detail('e:b')?.entry).toMatchObject({ outcome: 'processed', attempts: 2 });
    expect(recorder.detail('e:b')?.attempts.at(-1)).toMatchObject({ outcome: 'processed', ms: 4.5 });
    expect(recorder.detail('e:c')?.entry.outcome).toBe('parked');
    expect(outcomes(recorder, 'c')).toEqual(['parked', 'parked: down again']);
  });

  it('records an event processed in its own batch once, and a deferred one with its reason', async () => {
    // Prepare
    const recorder = createConsoleRecorder();

    // Act
    await invoke(
      recorder,
      events(['a', 'b']),
      (logged) => {
        logged('Event processed', { eventId: 'a', messageId: 'm-0', durationMs: 1 });
        logged('Event not run now; it will be retried', { eventId: 'b', messageId: 'm-1', reason: 'event_in_progress' });
      },
      ['m-1'],
    );

    // Assess
    expect(outcomes(recorder, 'a')).toEqual(['processed']);
    expect(outcomes(recorder, 'b')).toEqual(['deferred: event_in_progress']);
    expect(recorder.detail('e:b')?.entry.outcome).toBe('retrying');
  });

  it('shows a message the worker found no event as dead-lettered, not processed', async () => {
    // Prepare
    const recorder = createConsoleRecorder();

    // Act
    await invoke(recorder, events(['a']), (logged) => logged('Message is not an event: moved to the dead-letter queue', { messageId: 'm-0' }));

    // Assess
    expect(recorder.detail('e:a')).toMatchObject({ entry: { outcome: 'dead-lettered' }, attempts: [] });
  });
});
