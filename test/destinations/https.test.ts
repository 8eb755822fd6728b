/**
 * Issue 23: HTTPS destinations over real HTTP, through the worker on the embedded SQS and DynamoDB. Each event reaches
 * each destination once per 2xx, signed the Standard Webhooks way, in order per conversation; retryable answers are
 * retried, permanent ones park only their own conversation, and the address policy refuses what it must.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationInput } from '../../lib/destinations/settings.js';
import { listParked } from '../../lib/parking/listing.js';
import { PUBLIC_HTTPS_ONLY, type OutboundPolicy } from '../../lib/net/outbound.js';
import type { RetryPolicy } from '../../lib/parking/retry-policy.js';
import { cloudEvent } from '../support/events.js';
import { eventually } from '../support/local-runtime.js';
import { conversationEvents, startDeliveryPipeline, startReceiver, TEST_SIGNING_SECRET, type DeliveryPipeline, type TestReceiver } from './support.js';

/** Retried at once, parked after 3 runs: the tests look at what happens, not at how long it takes. */
const QUICK_RETRY: RetryPolicy = { attempts: 3, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 43_200 };

let pipeline: DeliveryPipeline | undefined;
const receivers: TestReceiver[] = [];
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver(answer?: TestReceiver['answer']): Promise<TestReceiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

function https(name: string, url: string, more: Partial<Extract<DestinationInput, { type: 'https' }>> = {}): DestinationInput {
  return { type: 'https', name, url, ...more };
}

/** The ids each conversation's events arrived with, deduplicated by webhook-id as a receiver should. */
function deliveredOrder(target: TestReceiver): Map<string, string[]> {
  const seen = new Set<string>();
  const order = new Map<string, string[]>();
  for (const { headers, event } of target.received) {
    const id = String(headers['webhook-id']);
    if (seen.has(id)) continue;
    seen.add(id);
    const conversation = event.subject ?? '';
    order.set(conversation, [...(order.get(conversation) ?? []), id]);
  }
  return order;
}

describe('an HTTPS destination that answers 2xx', () => {
  it('gets each event once, as a structured CloudEvent signed the Standard Webhooks way, verified by the reference library', { timeout: 60_000 }, async () => {
    // Prepare
    const endpoint = await receiver();
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url)] });
    const events = conversationEvents('sig', 'conv-sig', 5);

    // Act
    await pipeline.send(events);
    await eventually(() => pipeline?.attempts.filter((attempt) => attempt.outcome === 'delivered').length === 5);

    // Assess: once each, in order, verified, the body the event itself.
    expect(endpoint.received.map((request) => request.headers['webhook-id'])).toEqual(events.map((event) => event.id));
    const verifier = new Webhook(TEST_SIGNING_SECRET);
    for (const [index, request] of endpoint.received.entries()) {
      expect(request.headers['content-type']).toBe('application/cloudevents+json');
      expect(verifier.verify(request.body, request.headers as Record<string, string>)).toEqual(events[index]);
    }
    expect(pipeline.handled.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(pipeline.attempts[0]).toMatchObject({ destination: 'crm', eventId: 'sig-000', type: 'message.received', provider: 'chatzuri', attempt: 1, outcome: 'delivered', status: 204 });
  });

  it('keeps order per conversation across 50 conversations delivered side by side, each event once', { timeout: 120_000 }, async () => {
    // Prepare: answers come back after 0 to 20 ms, in any order across conversations.
    const endpoint = await receiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
      return { status: 200 };
    });
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url)], concurrency: 8 });
    const conversations = Array.from({ length: 50 }, (_, index) => conversationEvents(`c${String(index)}`, `conv-${String(index)}`, 6));
    const interleaved = conversations[0]?.flatMap((_, position) => conversations.map((events) => events[position])).filter((event) => event !== undefined) ?? [];

    // Act
    await pipeline.send(interleaved);
    await eventually(() => new Set(endpoint.received.map((request) => request.headers['webhook-id'])).size >= 300, 90_000);

    // Assess: in order per conversation; a second copy of an event only after a try of it failed (a lost answer).
    const order = deliveredOrder(endpoint);
    for (const [index, events] of conversations.entries()) expect(order.get(`conv-${String(index)}`)).toEqual(events.map((event) => event.id));
    const copies = new Map<string, number>();
    for (const request of endpoint.received) copies.set(String(request.headers['webhook-id']), (copies.get(String(request.headers['webhook-id'])) ?? 0) + 1);
    const resent = [...copies].filter(([, count]) => count > 1).map(([id]) => id);
    for (const id of resent) expect(pipeline.attempts.some((attempt) => attempt.eventId === id && attempt.outcome !== 'delivered'), `a failed try of ${id} before its copy`).toBe(true);
  });
});

describe('an HTTPS destination that fails', () => {
  it('is retried on 503 until it accepts; the code handler and a destination that accepted do not run again', { timeout: 60_000 }, async () => {
    // Prepare: "flaky" answers 503 twice, "steady" accepts at once.
    const flaky = await receiver((_request, index) => ({ status: index < 2 ? 503 : 200 }));
    const steady = await receiver();
    pipeline = await startDeliveryPipeline({ destinations: [https('flaky', flaky.url), https('steady', steady.url)], retry: { ...QUICK_RETRY, attempts: 5 } });

    // Act
    await pipeline.send([cloudEvent('once-1', 'conv-once')]);
    await eventually(() => flaky.received.length === 3);
    await eventually(() => pipeline?.attempts.some((attempt) => attempt.destination === 'flaky' && attempt.outcome === 'delivered') ?? false);

    // Assess
    expect(steady.received).toHaveLength(1);
    expect(pipeline.handled.map((event) => event.id)).toEqual(['once-1']);
    expect(pipeline.attempts.filter((attempt) => attempt.destination === 'flaky').map((attempt) => [attempt.outcome, attempt.status, attempt.attempt])).toEqual([
      ['retry', 503, 1],
      ['retry', 503, 2],
      ['delivered', 200, 3],
    ]);
  });

  it('honours 429 with Retry-After: the next try is not planned before the time asked for', { timeout: 60_000 }, async () => {
    // Prepare
    const endpoint = await receiver((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url)], retry: QUICK_RETRY });

    // Act
    await pipeline.send([cloudEvent('slow-1', 'conv-slow')]);
    await eventually(() => endpoint.received.length === 2);

    // Assess: planned 2 s after the refusal, though the policy's delay is 0.
    const [refused] = pipeline.attempts;
    expect(refused).toMatchObject({ outcome: 'retry', status: 429 });
    expect(Date.parse(refused?.nextRetryAt ?? '') - Date.parse(refused?.at ?? '')).toBeGreaterThanOrEqual(2_000);
    await eventually(() => pipeline?.attempts[1]?.outcome === 'delivered');
  });

  it('times out on an endpoint that hangs, and delivers once it answers again', { timeout: 60_000 }, async () => {
    // Prepare
    const endpoint = await receiver((_request, index) => (index === 0 ? 'hang' : { status: 200 }));
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url, { timeoutMs: 1_000 })], retry: QUICK_RETRY });

    // Act
    await pipeline.send([cloudEvent('hang-1', 'conv-hang')]);
    await eventually(() => pipeline?.attempts.some((attempt) => attempt.outcome === 'delivered') ?? false);

    // Assess
    expect(pipeline.attempts.map((attempt) => attempt.outcome)).toEqual(['retry', 'delivered']);
    expect(pipeline.attempts[0]?.error).toContain('no answer within 1000 ms');
  });

  it('sends again after a lost answer; the receiver sees one event by its webhook-id', { timeout: 60_000 }, async () => {
    // Prepare: the first request is read, then its connection dropped before any answer.
    const endpoint = await receiver((_request, index) => (index === 0 ? 'drop' : { status: 200 }));
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url)], retry: QUICK_RETRY });

    // Act
    await pipeline.send(conversationEvents('lost', 'conv-lost', 2));
    await eventually(() => pipeline?.attempts.filter((attempt) => attempt.outcome === 'delivered').length === 2);

    // Assess
    expect(endpoint.received.map((request) => request.headers['webhook-id'])).toEqual(['lost-000', 'lost-000', 'lost-001']);
    expect(deliveredOrder(endpoint).get('conv-lost')).toEqual(['lost-000', 'lost-001']);
  });

  it.each([
    ['410 Gone', { status: 410 }, 'answered 410'],
    ['a redirect, not followed', { status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }, 'redirects are not followed'],
  ])('parks only its own conversation at once on %s', { timeout: 60_000 }, async (_name, answer, why) => {
    // Prepare: conversation A's first event is refused for good; B is fine.
    const endpoint = await receiver((request) => (request.event.id === 'A-000' ? answer : { status: 200 }));
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url)], retry: QUICK_RETRY });

    // Act
    await pipeline.send([...conversationEvents('A', 'conv-A', 3), ...conversationEvents('B', 'conv-B', 3)]);
    const active = pipeline;
    await eventually(async () => (await listParked(active.parkStore))[0]?.events.length === 3);
    await eventually(() => deliveredOrder(endpoint).get('conv-B')?.length === 3);

    // Assess: one request for A, no more; B delivered in order.
    expect(endpoint.received.filter((request) => request.event.subject === 'conv-A')).toHaveLength(1);
    const [parked] = await listParked(pipeline.parkStore);
    expect(parked).toMatchObject({ conversationId: 'conv-A', attempts: 1 });
    expect(parked?.error).toContain(why);
    expect(pipeline.attempts.find((attempt) => attempt.eventId === 'A-000')).toMatchObject({ outcome: 'failed', status: answer.status });
    expect(deliveredOrder(endpoint).get('conv-B')).toEqual(['B-000', 'B-001', 'B-002']);
  });

  it('opens its circuit after consecutive failures: most tries then fail fast without a request', { timeout: 90_000 }, async () => {
    // Prepare: a dead endpoint; the circuit opens after 2 failures and lets one trial through each second.
    const endpoint = await receiver(() => ({ status: 503 }));
    pipeline = await startDeliveryPipeline({
      destinations: [https('dead', endpoint.url, { circuitFailures: 2, circuitCoolDownSeconds: 1 })],
      retry: { ...QUICK_RETRY, attempts: 4 },
    });

    // Act: 10 conversations, each parked after 4 failed runs.
    await pipeline.send(Array.from({ length: 10 }, (_, index) => cloudEvent(`dead-${String(index)}`, `conv-dead-${String(index)}`)));
    const active = pipeline;
    await eventually(async () => (await listParked(active.parkStore)).length === 10, 60_000);

    // Assess: 40 failed tries; a request only for those that were not fast-failed, and those are the fewer.
    expect(pipeline.attempts).toHaveLength(40);
    const fastFailed = pipeline.attempts.filter((attempt) => attempt.outcome === 'circuit-open');
    expect(endpoint.received).toHaveLength(40 - fastFailed.length);
    expect(fastFailed.length).toBeGreaterThan(20);
    // An open circuit's event comes back when the circuit lets a trial through, not before.
    for (const attempt of fastFailed.filter((failed) => failed.attempt < 4)) expect(attempt.nextRetryAt).toBeDefined();
  });
});

describe('the address policy', () => {
  const allowHttpOnly: OutboundPolicy = { allowHttp: true, allowAddresses: [] };

  it.each([
    ['loopback, under the cloud policy (http refused)', PUBLIC_HTTPS_ONLY, (url: string) => url, 'outbound_scheme'],
    ['loopback, not allowed', allowHttpOnly, (url: string) => url, 'outbound_address'],
    ['the metadata address', allowHttpOnly, () => 'http://169.254.169.254/latest/meta-data', 'outbound_address'],
    ['a private address', allowHttpOnly, () => 'http://10.0.0.1/hook', 'outbound_address'],
  ])('refuses %s: no request, its conversation parked at once', { timeout: 60_000 }, async (_name, policy, url, reason) => {
    // Prepare
    const endpoint = await receiver();
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', url(endpoint.url))], policy, retry: QUICK_RETRY });

    // Act
    await pipeline.send([cloudEvent('ssrf-1', 'conv-ssrf')]);
    const active = pipeline;
    await eventually(async () => (await listParked(active.parkStore)).length === 1);

    // Assess
    expect(endpoint.received).toHaveLength(0);
    expect(pipeline.attempts).toEqual([expect.objectContaining({ outcome: 'refused', error: reason, attempt: 1 })]);
  });

  it("lets a destination's allowAddresses widen it", { timeout: 60_000 }, async () => {
    // Prepare
    const endpoint = await receiver();
    pipeline = await startDeliveryPipeline({ destinations: [https('crm', endpoint.url, { allowAddresses: ['127.0.0.1/32'] })], policy: allowHttpOnly });

    // Act
    await pipeline.send([cloudEvent('allowed-1', 'conv-allowed')]);
    await eventually(() => endpoint.received.length === 1);

    // Assess
    await eventually(() => pipeline?.attempts[0]?.outcome === 'delivered');
  });
});
