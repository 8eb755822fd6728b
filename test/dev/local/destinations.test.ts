/**
 * The local runtime with a destination pointing at the reference receiver of `npm run receive`, in this process, over
 * real HTTP: provider samples in (`npm run send` once, the rest posted as it posts them), signed events out, checked
 * by the `standardwebhooks` package, in order per conversation; failures retried and listed at GET /_local/deliveries;
 * an endpoint answering 410 for one conversation parks that conversation only (GET /_local/parked).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveCommand } from '../../../dev/cli/receive.js';
import type { OutboundAttemptView } from '../../../dev/console/model.js';
import { DEVELOPMENT_DESTINATION_SECRET } from '../../../dev/local/destination-secret.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../../dev/receive/receiver.js';
import type { ParkedListing } from '../../../lib/parking/listing.js';
import { localRetryPolicy } from '../../../lib/parking/retry-policy.js';
import { runCli } from '../../support/cli.js';
import { eventually, post, qikchatText, signedSample, startTestRuntime, testEnvironment, type SignedRequest } from '../../support/local-runtime.js';

/** Retries 1 s apart, parked after the 3rd failure: seconds, not the local policy's 20. */
const QUICK_RETRY = { ...localRetryPolicy, attempts: 3, backoffRate: 1 };

async function getJson<T>(runtime: LocalRuntime, path: string): Promise<T> {
  const response = await fetch(`${runtime.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The event ids the receiver accepted (2xx, first time), in arrival order, of one conversation (or all). */
function accepted(receiver: ReferenceReceiver, conversation?: string): string[] {
  return receiver
    .requests()
    .filter((request) => request.outcome === 'accepted' && (conversation === undefined || request.event?.subject === conversation))
    .map((request) => request.event?.id ?? '');
}

describe('destinations in the local runtime', () => {
  let runtime: LocalRuntime | undefined;
  let receiver: ReferenceReceiver | undefined;
  afterEach(async () => {
    await runtime?.stop();
    await receiver?.stop();
    runtime = receiver = undefined;
  });

  it('delivers the samples, signed with the development secret npm run receive verifies by default, in order per conversation, each once', { timeout: 90_000 }, async () => {
    // Prepare: `npm run receive` with no flags (a free port instead of 8080), and `npm start -- --destination <its url>`
    let printed = '';
    const started = await receiveCommand(['--port', '0'], { stdout: (text) => (printed += text), stderr: (text) => (printed += text), env: {} });
    if (typeof started === 'number') throw new Error(printed);
    receiver = started;
    runtime = await startTestRuntime({ destinations: [{ type: 'https', name: 'receiver', url: receiver.url }] });
    const qikchat = ['message-text', 'message-image', 'status-sent', 'status-delivered', 'status-read'];
    const chatzuri = ['guide-conversation-started', 'guide-message-received', 'guide-message-sent', 'guide-conversation-ended'];
    const requests: SignedRequest[] = [];
    for (const sample of qikchat) requests.push(await signedSample('qikchat', sample));
    for (const sample of chatzuri) requests.push(await signedSample('chatzuri', sample));

    // Act: the first as a newcomer sends it, the others interleaved across the two conversations
    const sent = await runCli('send', ['qikchat', 'message-text'], { SEND_URL: runtime.url, ...testEnvironment() });
    expect(sent.stdout).toContain('✓ received and enqueued');
    expect(sent.stdout).toContain('✓ processed by the worker — no code handler is registered for message.received: it went to its destinations\n✓ delivered to destination receiver: 204 (attempt 1)\n');
    for (const request of [...requests.slice(1, 5).flatMap((request, index) => [request, requests[5 + index]]), requests[9]]) {
      if (request) expect((await post(runtime, request)).status).toBe(200);
    }
    await eventually(() => accepted(started).length === requests.length, 60_000);

    // Assess: every event arrived verified (the receiver refuses any other), once, in the order sent per conversation
    const ids = (slug: string) => requests.filter((request) => request.provider.slug === slug).map((request) => request.expected.id);
    expect(accepted(started, '919812345678')).toEqual(ids('qikchat'));
    expect(accepted(started, 'conv_4d9a2f6c18')).toEqual(ids('chatzuri'));
    expect(started.requests().filter((request) => request.outcome !== 'accepted')).toEqual([]);
    expect(started.requests().every((request) => request.webhookId === request.event?.id)).toBe(true);
    expect(printed).toContain(`the DEVELOPMENT secret ${DEVELOPMENT_DESTINATION_SECRET}`);
    expect(printed).toMatch(/ qikchat:in:52JH6WmuSruAVyXvBBYemd0Ia +message\.received +qikchat +conv 919812345678 +verified → 204/);
    const deliveries = await getJson<OutboundAttemptView[]>(runtime, '/_local/deliveries');
    expect(deliveries).toHaveLength(requests.length);
    expect(deliveries.every((attempt) => attempt.outcome === 'delivered' && attempt.status === 204 && attempt.attempt === 1 && attempt.destination === 'receiver')).toBe(true);
  });

  it('signs with DESTINATION_SECRET: a receiver holding another secret refuses it 401, a permanent failure: listed failed, its conversation parked', { timeout: 60_000 }, async () => {
    // Prepare
    const secret = `whsec_${Buffer.from('the-local-test-destination-secret').toString('base64')}`;
    receiver = await startReferenceReceiver({ port: 0, path: '/hook', secrets: [DEVELOPMENT_DESTINATION_SECRET], write: () => undefined });
    runtime = await startTestRuntime({ env: { ...testEnvironment(), DESTINATION_SECRET: secret }, retry: QUICK_RETRY, destinations: [{ type: 'https', name: 'receiver', url: receiver.url }] });
    const request = qikchatText('6281000000100', 'S-1');

    // Act
    await post(runtime, request);
    await eventually(() => (receiver?.requests().length ?? 0) >= 1);

    // Assess: 401 is a permanent failure: not retried, its conversation parked
    expect(receiver.requests()[0]).toMatchObject({ status: 401, outcome: 'refused', reason: 'signature not verified: No matching signature found' });
    await eventually(async () => (await getJson<ParkedListing[]>(runtime as LocalRuntime, '/_local/parked')).length === 1);
    const [attempt] = await getJson<OutboundAttemptView[]>(runtime, `/_local/deliveries?eventId=${encodeURIComponent(request.expected.id)}`);
    expect(attempt).toMatchObject({ destination: 'receiver', outcome: 'failed', status: 401, attempt: 1 });
  });

  it('retries what the endpoint fails with 503, in order: GET /_local/deliveries shows each retry with its next try, then the delivery', { timeout: 90_000 }, async () => {
    // Prepare: the first arrival of each event is answered 503
    receiver = await startReferenceReceiver({ port: 0, path: '/hook', secrets: [DEVELOPMENT_DESTINATION_SECRET], write: () => undefined, statusFor: (_event, attempt) => (attempt === 1 ? 503 : undefined) });
    runtime = await startTestRuntime({ retry: QUICK_RETRY, destinations: [{ type: 'https', name: 'receiver', url: receiver.url }] });
    const requests = ['R-1', 'R-2', 'R-3'].map((id) => qikchatText('6281000000200', id));

    // Act
    for (const request of requests) await post(runtime, request);
    await eventually(() => accepted(receiver as ReferenceReceiver).length === 3, 60_000);

    // Assess: at the receiver, each event twice (503, then 204), one after the other, nothing overtaking
    const ids = requests.map((request) => request.expected.id);
    expect(receiver.requests().map((request) => [request.event?.id, request.status])).toEqual(ids.flatMap((id) => [[id, 503], [id, 204]]));
    expect(receiver.requests().some((request) => request.arrival?.outOfOrder !== undefined)).toBe(false);
    // In the console's list: a retry (with its status and next try) and a delivery per event, in that order
    const deliveries = await getJson<OutboundAttemptView[]>(runtime, '/_local/deliveries?destination=receiver');
    expect(deliveries.map((attempt) => [attempt.eventId, attempt.outcome, attempt.status, attempt.attempt])).toEqual(
      ids.flatMap((id) => [
        [id, 'retry', 503, 1],
        [id, 'delivered', 204, 2],
      ]),
    );
    for (const retry of deliveries.filter((attempt) => attempt.outcome === 'retry')) {
      expect(Date.parse(retry.nextRetryAt ?? '')).toBeGreaterThan(Date.parse(retry.at) - 1);
      expect(retry).toMatchObject({ conversation: '6281000000200', error: expect.stringContaining('503') as unknown });
    }
    expect(await getJson<OutboundAttemptView[]>(runtime, '/_local/deliveries?outcome=retry&limit=1')).toEqual([deliveries[4]]);
    // Guarded as every /_local/ route: another origin gets nothing; a count it cannot use is one line
    expect((await fetch(`${runtime.url}/_local/deliveries`, { headers: { origin: 'http://attacker.test' } })).status).toBe(403);
    const bad = await fetch(`${runtime.url}/_local/deliveries?limit=0`);
    expect([bad.status, await bad.json()]).toEqual([400, { message: 'limit must be a positive integer, not "0"' }]);
  });

  it('parks only the conversation the endpoint answers 410 for: the others are delivered, in order', { timeout: 90_000 }, async () => {
    // Prepare: the endpoint refuses conversation 6281000000301 for good
    const dead = '6281000000301';
    receiver = await startReferenceReceiver({ port: 0, path: '/hook', secrets: [DEVELOPMENT_DESTINATION_SECRET], write: () => undefined, statusFor: (event) => (event.subject === dead ? 410 : undefined) });
    runtime = await startTestRuntime({ retry: QUICK_RETRY, destinations: [{ type: 'https', name: 'receiver', url: receiver.url }] });
    const conversations = [dead, '6281000000302', '6281000000303'];
    const requests = conversations.map((from) => [1, 2, 3].map((n) => qikchatText(from, `${from}-${String(n)}`)));

    // Act: interleaved across the conversations
    for (const n of [0, 1, 2]) for (const conversation of requests) if (conversation[n]) await post(runtime, conversation[n]);
    await eventually(() => accepted(receiver as ReferenceReceiver).length === 6, 60_000);
    await eventually(async () => (await getJson<ParkedListing[]>(runtime as LocalRuntime, '/_local/parked')).length === 1, 30_000);

    // Assess: the dead conversation is parked with its 3 events in order, its first tried once
    const ids = requests.map((conversation) => conversation.map((request) => request.expected.id));
    const parked = await getJson<ParkedListing[]>(runtime, '/_local/parked');
    expect(parked).toEqual([expect.objectContaining({ conversation: `qikchat:${dead}`, failingEventId: ids[0]?.[0], events: ids[0] })]);
    expect(receiver.requests().filter((request) => request.event?.subject === dead).map((request) => [request.event?.id, request.status])).toEqual([[ids[0]?.[0], 410]]);
    // the others delivered, each in order
    expect(accepted(receiver, '6281000000302')).toEqual(ids[1]);
    expect(accepted(receiver, '6281000000303')).toEqual(ids[2]);
    const failed = await getJson<OutboundAttemptView[]>(runtime, '/_local/deliveries?outcome=failed');
    expect(failed.map((attempt) => [attempt.eventId, attempt.status])).toEqual([[ids[0]?.[0], 410]]);
    // npm run send says where a new event of it waits, and the command that resumes it
    const folder = await mkdtemp(join(tmpdir(), 'destinations-send-'));
    const file = join(folder, 'payload.json');
    await writeFile(file, qikchatText(dead, `${dead}-4`).body);
    const sent = await runCli('send', ['qikchat', '--file', file], { SEND_URL: runtime.url, ...testEnvironment() });
    await rm(folder, { recursive: true, force: true });
    expect(sent.code).toBe(1);
    expect(sent.stderr).toContain(`✗ parked: its conversation qikchat:${dead} is parked, behind its failing event ${ids[0]?.[0] ?? ''} (DeliveryRejectedError: Destination receiver answered 410). Once fixed: PORT=${new URL(runtime.url).port} npm run resume -- --conversation qikchat:${dead}`);
  });
});
