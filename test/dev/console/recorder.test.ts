/**
 * The console's recorder and routes over real HTTP against a local runtime: what a delivery, a rejection, a
 * failing handler and a dead letter look like at `/_local/console/*`, the live stream, and the page's actions.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeLabel, type ConsoleEntry, type EntryDetail } from '../../../dev/console/model.js';
import { messageGroupId, serialiseEvent } from '../../../lib/queue/enqueue.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import type { DeadLetter } from '../../../dev/local/dead-letters.js';
import type { WebhookEvent } from '../../../lib/events/schema.js';
import { eventually, post, qikchatText, signed, signedSample, testSecrets, waitForEvent } from '../../support/local-runtime.js';
import { postAction } from './actions.js';
import { messageSent, startConsoleRuntime } from './console-runtime.js';

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const entries = (runtime: LocalRuntime) => getJson<ConsoleEntry[]>(`${runtime.url}/_local/console/entries`);
const detail = (runtime: LocalRuntime, id: string) => getJson<EntryDetail>(`${runtime.url}/_local/console/entry?id=${encodeURIComponent(id)}`);

describe('console recorder', () => {
  let runtime: LocalRuntime;
  // Fails until fixed: the console must show each attempt and its error.
  let fix: (fixed?: boolean) => void;
  beforeAll(async () => {
    ({ runtime, fix } = await startConsoleRuntime());
  });
  afterAll(() => runtime.stop());

  it('shows a rejected delivery with its reason, the redacted request and the generic answer', async () => {
    // Prepare: signed with another secret
    const delivery = signed('qikchat', '{"event":"whatsapp:message:in"}', 'someone:else');

    // Act
    const answer = await post(runtime, delivery);
    const rejected = (await entries(runtime)).find((entry) => entry.kind === 'delivery' && entry.outcome === 'rejected' && entry.provider === 'qikchat');
    const shown = await detail(runtime, rejected?.id ?? '');

    // Assess
    expect(answer).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(shown.entry).toMatchObject({ kind: 'delivery', status: 401, reason: 'signature_mismatch' });
    expect(shown.answer).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(shown.request?.headers.authorization).toBe('Basic [REDACTED]');
    expect(shown.request?.body).toBe('{"event":"whatsapp:message:in"}');
    expect(JSON.stringify(shown)).not.toContain(delivery.headers.Authorization?.slice('Basic '.length));
  });

  it('shows an accepted delivery with its CloudEvent, its attempt and no credential', async () => {
    // Prepare
    const delivery = await signedSample('qiscus-sdk');

    // Act
    await post(runtime, delivery);
    await waitForEvent(runtime, (event) => event.id === delivery.expected.id);
    await eventually(async () => (await entries(runtime)).some((entry) => entry.id === `e:${delivery.expected.id}` && entry.outcome === 'processed'));
    const accepted = (await entries(runtime)).find((entry) => entry.kind === 'delivery' && entry.eventId === delivery.expected.id);
    const shown = await detail(runtime, accepted?.id ?? '');

    // Assess
    expect(shown.entry).toMatchObject({ outcome: 'accepted', status: 200, type: delivery.expected.type, conversation: delivery.expected.data.conversationId });
    expect((shown.event as WebhookEvent).id).toBe(delivery.expected.id);
    expect(shown.attempts).toEqual([expect.objectContaining({ outcome: 'processed', receiveCount: 1 })]);
    expect(shown.related).toEqual([`e:${delivery.expected.id}`]);
    expect(JSON.stringify(shown)).not.toContain(Object.values(delivery.headers).find((value) => value !== 'application/json'));
    expect(JSON.stringify(shown)).not.toContain(testSecrets['qiscus-sdk']);
  });

  it('shows each failed attempt with its error, the dead letter, and the redrive that brings it back', { timeout: 60_000 }, async () => {
    // Prepare: a Chatzuri message.sent fails in its handler until fixed
    const delivery = messageSent('console-conv', 'console-m1');
    fix(false);

    // Act
    expect((await post(runtime, delivery)).status).toBe(200);
    const id = `e:${delivery.expected.id}`;
    await eventually(async () => (await entries(runtime)).some((entry) => entry.id === id && entry.outcome === 'dead-lettered'), 30_000);
    const failed = await detail(runtime, id);
    const letters = await getJson<DeadLetter[]>(`${runtime.url}/_local/dead-letters`);
    fix();
    const redrive = await postAction(runtime.url, '/_local/dead-letters/redrive');
    const report = (await redrive.json()) as { moved: number };
    await eventually(async () => (await entries(runtime)).some((entry) => entry.id === id && entry.outcome === 'processed'), 30_000);

    // Assess
    expect(delivery.expected.type).toBe('message.sent');
    expect(failed.attempts).toEqual([
      expect.objectContaining({ outcome: 'failed', error: 'the CRM is down', receiveCount: 1 }),
      expect.objectContaining({ outcome: 'failed', error: 'the CRM is down', receiveCount: 2 }),
    ]);
    // As many attempts as maxReceiveCount, as the README says ("after 5 attempts" with the default topology)
    expect(letters.map((letter) => [letter.attempts, letter.receiveCount])).toEqual([[2, 3]]);
    expect(report).toEqual({ method: 'copy', moved: 1 });
    expect(await getJson<DeadLetter[]>(`${runtime.url}/_local/dead-letters`)).toEqual([]);
    expect((await detail(runtime, id)).attempts.at(-1)).toMatchObject({ outcome: 'processed' });
  });

  it('shows that no handler ran for a type without one, and a copy of a handled event as a duplicate', async () => {
    // Prepare: message.received has no handler in this runtime (only message.sent has one)
    const delivery = qikchatText('6280000000042', 'console-no-handler-1');
    const id = `e:${delivery.expected.id}`;
    const entry = async () => (await entries(runtime)).find((found) => found.id === id);

    // Act: delivered, then the same event queued again under another deduplication id, as a re-delivery after a restart
    await post(runtime, delivery);
    const processed = await waitForEvent(runtime, (event) => event.id === delivery.expected.id);
    await eventually(async () => (await entry())?.outcome === 'processed');
    const first = await entry();
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.queues.queueUrl, MessageBody: serialiseEvent(processed), MessageGroupId: messageGroupId(processed), MessageDeduplicationId: 'again-1' }),
    );
    await eventually(async () => {
      const found = await entry();
      return found?.kind === 'event' && found.attempts === 2;
    });
    const again = await entry();

    // Assess
    expect(first).toMatchObject({ outcome: 'processed', done: 'no handler' });
    expect(first && outcomeLabel(first)).toBe('processed (no handler)');
    expect(again).toMatchObject({ outcome: 'processed', done: 'duplicate' });
    expect(again && outcomeLabel(again)).toBe('processed earlier (duplicate)');
  });

  it('streams each new entry to a listener without polling', async () => {
    // Prepare
    const stream = await fetch(`${runtime.url}/_local/console/stream`);
    const reader = stream.body?.pipeThrough(new TextDecoderStream()).getReader();
    const delivery = signed('chatzuri', '{"not":"signed right"}', 'wrong');

    // Act
    await post(runtime, delivery);
    let text = '';
    while (!text.includes('event: entry')) text += (await reader?.read())?.value ?? '';
    await reader?.cancel();

    // Assess
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const data = /event: entry\ndata: (.*)\n/.exec(text)?.[1] ?? '';
    expect(JSON.parse(data)).toMatchObject({ kind: 'delivery', provider: 'chatzuri', outcome: 'rejected', status: 401 });
  });

  it('sends a sample or an own JSON body signed with the runtime secret, and refuses what it cannot send', async () => {
    // Prepare
    const send = async (request: unknown) => {
      const response = await postAction(runtime.url, '/_local/console/send', request);
      return { status: response.status, body: (await response.json()) };
    };

    // Act
    const sample = await send({ provider: 'qikchat', sample: 'message-text' });
    const own = await send({ provider: 'chatzuri', body: '{"event":"conversation.started","data":{"conversationId":"own-1"}}' });
    const notJson = await send({ provider: 'chatzuri', body: '{not json' });
    const unknownProvider = await send({ provider: 'qikchatt', sample: 'message-text' });
    const unknownSample = await send({ provider: 'qikchat', sample: 'nope' });
    const samples = await getJson<{ provider: string; samples: string[] }[]>(`${runtime.url}/_local/console/samples`);

    // Assess
    expect(sample).toEqual({ status: 200, body: { status: 200, body: '{"status":"accepted"}' } });
    expect(own).toEqual({ status: 200, body: { status: 200, body: '{"status":"accepted"}' } });
    expect(notJson.status).toBe(400);
    expect(unknownProvider).toEqual({ status: 400, body: { message: 'unknown provider "qikchatt"' } });
    expect(unknownSample.status).toBe(400);
    expect(samples.map((entry) => entry.provider)).toEqual(['qiscus-omnichannel', 'qiscus-sdk', 'qikchat', 'chatzuri']);
    expect(samples.flatMap((entry) => entry.samples).filter((name) => name.endsWith('.event'))).toEqual([]);
  });

  it('replays a conversation from the archive as npm run replay does, and the replayed event is processed', { timeout: 60_000 }, async () => {
    // Prepare: one event of its own conversation, archived by the worker
    const delivery = signed('chatzuri', JSON.stringify({ event: 'conversation.started', data: { conversationId: 'console-replay-1' } }));
    await post(runtime, delivery);
    const archivePath = `${runtime.url}/_local/archive?conversation=console-replay-1`;
    await eventually(async () => (await getJson<unknown[]>(archivePath)).length === 1);
    const replay = async (body: string) => {
      const response = await postAction(runtime.url, '/_local/console/replay', body);
      return { status: response.status, body: await response.json() };
    };

    // Act
    const replayed = await replay('{"conversation":"console-replay-1"}');
    const nothing = await replay('{"conversation":"no-such-conversation"}');
    const unnamed = await replay('{"conversation":"  "}');
    await eventually(async () => (await entries(runtime)).some((entry) => entry.kind === 'event' && entry.conversation === 'console-replay-1' && entry.eventId !== delivery.expected.id && entry.outcome === 'processed'));
    const copy = (await entries(runtime)).find((entry) => entry.kind === 'event' && entry.conversation === 'console-replay-1' && entry.eventId !== delivery.expected.id);

    // Assess
    expect(replayed).toEqual({ status: 200, body: { selected: 1, sent: 1, skipped: 0 } });
    expect(nothing).toEqual({ status: 200, body: { selected: 0, sent: 0, skipped: 0 } });
    expect(unnamed.status).toBe(400);
    expect((await detail(runtime, copy?.id ?? '')).event).toMatchObject({ type: 'conversation.started', replayof: delivery.expected.id });
  });

  it('serves the page, its script and its style', async () => {
    const page = await fetch(`${runtime.url}/`);
    const script = await fetch(`${runtime.url}/console/app.js`);
    const style = await fetch(`${runtime.url}/console/app.css`);
    expect([page.status, script.status, style.status]).toEqual([200, 200, 200]);
    expect(await page.text()).toContain('<script type="module" src="/console/app.js">');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('EventSource');
  });
});
