import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { listSamples } from '../../dev/local/samples.js';
import { providers } from '../../lib/providers/registry.js';
import { post, queueDepth, signed, signedSample, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

describe('the local pipeline, end to end over HTTP and SQS', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  it.each(providers.map((p) => p.slug))('turns a signed %s webhook into the right CloudEvent out of the worker', async (slug) => {
    // Prepare
    const request = await signedSample(slug);

    // Act
    const answer = await post(runtime, request);
    const processed = await waitForEvent(runtime, (event) => event.id === request.expected.id);

    // Assess
    expect(answer).toEqual({ status: 200, body: '{"status":"accepted"}' });
    expect(WebhookEventSchema.parse(processed)).toEqual(processed);
    expect(processed).toMatchObject({ specversion: '1.0', provider: slug, source: `/webhooks/${slug}`, type: request.expected.type });
    expect(processed.type).not.toBe('event.unrecognized');
    expect(processed.data).toEqual(request.expected.data);
  });

  it('processes every sample of every provider, each as a recognised event', async () => {
    // Prepare
    const requests = [];
    for (const p of providers) {
      for (const name of await listSamples(p.slug)) requests.push(await signedSample(p.slug, name));
    }

    // Act
    const answers = await Promise.all(requests.map((request) => post(runtime, request)));
    expect(answers.map((answer) => answer.status)).toEqual(requests.map(() => 200));
    const processed = await Promise.all(requests.map((request) => waitForEvent(runtime, (event) => event.id === request.expected.id)));

    // Assess
    expect(processed.map((event) => event.type)).toEqual(requests.map((request) => request.expected.type));
  });

  it('processes a delivery sent twice only once', async () => {
    // Prepare: a unique body, and a later event of the same conversation to know when the queue has moved past both
    const request = signed('chatzuri', JSON.stringify({ eventType: 'message.received', channel: 'web', agentId: 'a', payload: { message: 'twice', conversationId: 'conv-dup' } }));
    const later = signed('chatzuri', JSON.stringify({ eventType: 'message.received', channel: 'web', agentId: 'a', payload: { message: 'after', conversationId: 'conv-dup' } }));

    // Act
    const first = await post(runtime, request);
    const second = await post(runtime, request);
    await post(runtime, later);
    await waitForEvent(runtime, (event) => event.id === later.expected.id);

    // Assess: both answered 200 (the provider must not retry), the event was processed once
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(runtime.events().filter((event) => event.id === request.expected.id)).toHaveLength(1);
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
  });

  it('keeps the order of one conversation: messages and statuses', async () => {
    // Prepare: one customer's message, then status callbacks of one of our messages to them (Qikchat reports
    // a receipt from the customer's number, `from`, to the business: lib/providers/qikchat/recognise.ts)
    const customer = '6281234567890';
    const bodies = [
      { event: 'whatsapp:message:in', payload: { id: 'ord-1', name: 'whatsapp', contacts: [{ profile: { name: 'Rina' }, to: '+6281100000000' }], message: { from: customer, timestamp: '2024-05-01T10:00:00.000Z', type: 'text', text: { body: 'first' } } } },
      ...['sent', 'delivered', 'read'].map((status) => ({ event: 'whatsapp:message:status', payload: { id: 'ord-out', name: 'whatsapp', from: customer, to: '+6281100000000', status, timestamp: '2024-05-01T10:00:01.000Z' } })),
      { event: 'whatsapp:message:in', payload: { id: 'ord-2', name: 'whatsapp', contacts: [{ profile: { name: 'Rina' }, to: '+6281100000000' }], message: { from: customer, timestamp: '2024-05-01T10:00:02.000Z', type: 'text', text: { body: 'second' } } } },
    ].map((body) => signed('qikchat', JSON.stringify(body)));

    // Act: one after the other, as the provider sends them
    for (const request of bodies) expect((await post(runtime, request)).status).toBe(200);
    const last = bodies.at(-1)?.expected.id;
    await waitForEvent(runtime, (event) => event.id === last);

    // Assess
    const ids = new Set(bodies.map((request) => request.expected.id));
    const order = runtime.events().filter((event) => ids.has(event.id)).map((event) => event.id);
    expect(order).toEqual(bodies.map((request) => request.expected.id));
  });
});
