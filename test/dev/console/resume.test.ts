/**
 * Parked conversations in the console over real HTTP against a local runtime: a parked event is shown parked (not
 * processed), `POST /_local/console/resume` resumes or skips as `npm run resume` does, and refuses what it cannot do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEntry, EntryDetail, ParkedView } from '../../../dev/console/model.js';
import { eventually, post, type SignedRequest } from '../../support/local-runtime.js';
import { postAction } from './actions.js';
import { qikchat, startParkingRuntime, type ParkingRuntime } from './parking-runtime.js';

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('console: parked conversations', () => {
  let parking: ParkingRuntime;
  const url = (path: string) => `${parking.runtime.url}${path}`;
  const entries = () => getJson<ConsoleEntry[]>(url('/_local/console/entries'));
  const entry = async (request: SignedRequest) => (await entries()).find((found) => found.id === `e:${request.expected.id}`);
  const detail = (request: SignedRequest) => getJson<EntryDetail>(url(`/_local/console/entry?id=${encodeURIComponent(`e:${request.expected.id}`)}`));
  const parked = () => getJson<ParkedView[]>(url('/_local/parked'));
  const resume = async (body: string) => {
    const response = await postAction(parking.runtime.url, '/_local/console/resume', body);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** Posts a failing event and two followers of one conversation, and waits until all three are parked. */
  async function parkThree(from: string, prefix: string): Promise<SignedRequest[]> {
    const messages = [0, 1, 2].map((index) => qikchat(from, `${prefix}-${String(index)}`));
    parking.failing.set(`${prefix}-0`, `the CRM is down for ${prefix}-0`);
    for (const message of messages) expect((await post(parking.runtime, message)).status).toBe(200);
    await eventually(async () => (await parked()).find((view) => view.conversationId === from)?.events.length === 3, 30_000);
    await eventually(async () => (await entries()).filter((found) => found.kind === 'event' && found.conversation === from && found.outcome === 'parked').length === 3);
    return messages;
  }

  beforeAll(async () => {
    parking = await startParkingRuntime();
  });
  afterAll(() => parking.runtime.stop());

  it('shows a parked conversation\'s events as parked, not processed, and resumes them in order', { timeout: 60_000 }, async () => {
    // Prepare
    const stream = await fetch(url('/_local/console/stream'));
    const reader = stream.body?.pipeThrough(new TextDecoderStream()).getReader();
    const [failing, ...followers] = await parkThree('6281000000001', 'R');
    let streamed = '';
    while (!streamed.includes('event: parked')) streamed += (await reader?.read())?.value ?? '';
    await reader?.cancel();
    const [view] = (await parked()).filter((found) => found.conversationId === '6281000000001');
    const failed = await detail(failing!);

    // Act
    parking.failing.clear();
    const resumed = await resume(JSON.stringify({ conversation: view?.conversation }));
    await eventually(async () => (await Promise.all([failing!, ...followers].map(entry))).every((found) => found?.outcome === 'processed'), 30_000);
    await eventually(async () => (await parked()).length === 0);
    const again = await resume(JSON.stringify({ conversation: view?.conversation }));

    // Assess: the failing event's three runs, the last one parking it; its followers parked without a run
    expect(view).toMatchObject({ provider: 'qikchat', state: 'parked', failingEventId: failing?.expected.id, attempts: 3, error: 'Error: the CRM is down for R-0' });
    expect(view?.events).toEqual([failing, ...followers].map((message) => message?.expected.id));
    expect(failed.entry).toMatchObject({ outcome: 'parked' });
    expect(failed.attempts.map((attempt) => [attempt.outcome, attempt.error])).toEqual([
      ['failed', 'the CRM is down for R-0'],
      ['failed', 'the CRM is down for R-0'],
      ['parked', 'the CRM is down for R-0'],
    ]);
    expect((await detail(followers[0]!)).attempts.at(-2)).toMatchObject({ outcome: 'parked' });
    // The resume: answered with the conversation resuming; the three run in order, each once more, as processed
    expect(resumed).toEqual({ status: 200, body: expect.objectContaining({ conversation: view?.conversation, state: 'resuming' }) as unknown });
    expect(parking.handled).toEqual(['R-0', 'R-1', 'R-2']);
    // Run from the park store, not received from the queue: no receive count
    const run = (await detail(failing!)).attempts.at(-1);
    expect([run?.outcome, run?.receiveCount]).toEqual(['processed', undefined]);
    expect(again).toEqual({ status: 409, body: { message: `Conversation ${view?.conversation ?? ''} is not parked` } });
  });

  it('skips the failing event: the followers are processed, the failing one never handled', { timeout: 60_000 }, async () => {
    // Prepare
    const [failing, ...followers] = await parkThree('6281000000002', 'S');
    const [view] = (await parked()).filter((found) => found.conversationId === '6281000000002');
    const conversation = view?.conversation ?? '';

    // Act
    const wrongSkip = await resume(JSON.stringify({ conversation, skip: followers[0]?.expected.id }));
    const skipped = await resume(JSON.stringify({ conversation, skip: failing?.expected.id }));
    await eventually(async () => (await Promise.all(followers.map(entry))).every((found) => found?.outcome === 'processed'), 30_000);
    await eventually(async () => (await parked()).length === 0);

    // Assess
    expect(wrongSkip.status).toBe(409);
    expect(wrongSkip.body.message).toContain('only the failing event can be skipped');
    expect(skipped).toEqual({ status: 200, body: expect.objectContaining({ conversation, state: 'resuming', resume: expect.objectContaining({ skip: failing?.expected.id }) as unknown }) as unknown });
    expect((await entry(failing!))?.outcome).toBe('skipped');
    expect(parking.handled.filter((id) => id.startsWith('S-'))).toEqual(['S-1', 'S-2']);
    expect(parking.runs.filter((id) => id === 'S-0')).toHaveLength(3);
  });

  it('refuses a resume it cannot do: 400 for what is no request, 409 for a conversation not parked', async () => {
    // Act
    const answers = await Promise.all(
      ['not json', '[]', '{}', '{"conversation":"  "}', '{"conversation":42}', '{"conversation":"qikchat:1","skip":""}', '{"conversation":"qikchat:1","skip":7}'].map(resume),
    );
    const notParked = await resume('{"conversation":"qikchat:nobody"}');

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(answers[0]?.body.message).toContain('{"conversation": "<message group>"');
    expect(notParked).toEqual({ status: 409, body: { message: 'Conversation qikchat:nobody is not parked' } });
  });
});
