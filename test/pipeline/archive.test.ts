import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { listSamples } from '../../dev/local/samples.js';
import { readArchive, type ArchivedEvent } from '../../dev/replay/read-archive.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { providers } from '../../lib/providers/registry.js';
import { eventually, post, signedSample, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

describe('the archive of the local pipeline', () => {
  let runtime: LocalRuntime;
  const handled: WebhookEvent[] = [];
  beforeAll(async () => {
    runtime = await startTestRuntime({
      handlers: { 'agent.allocation_requested': (event) => void handled.push(event) },
    });
  });
  afterAll(() => runtime.stop());

  it('holds every processed event of every sample, and lists them at /_local/archive', async () => {
    // Prepare: every sample of every provider
    const requests = [];
    for (const provider of providers) {
      for (const sample of await listSamples(provider.slug)) requests.push(await signedSample(provider.slug, sample));
    }

    // Act
    for (const request of requests) expect((await post(runtime, request)).status).toBe(200);
    await Promise.all(requests.map((request) => waitForEvent(runtime, (event) => event.id === request.expected.id)));

    // Assess: each processed event is archived (the worker archives before it handles), through the Firehose
    // stand-in as the stack does by default: its objects, in the dt=/hour= layout
    const selection = await readArchive(runtime.archive);
    const archived = new Set(selection.events.map((entry) => entry.event.id));
    for (const event of runtime.events()) expect(archived.has(event.id), event.id).toBe(true);
    for (const entry of selection.events) expect(entry.object).toMatch(/^events\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\/chat-webhook-archive-1-[\d-]+-[0-9a-f-]{36}\.jsonl\.gz$/);
    const conversation = requests.find((request) => request.expected.data.conversationId !== null)?.expected.data.conversationId ?? '';
    const answer = await fetch(`${runtime.url}/_local/archive?conversation=${encodeURIComponent(conversation)}`);
    const listed = (await answer.json()) as ArchivedEvent[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((entry) => entry.event.data.conversationId === conversation)).toBe(true);
  });

  it('hands the handler the credentials the archive redacts', async () => {
    // Prepare
    const request = await signedSample('qiscus-omnichannel', 'agent-allocation');

    // Act
    await post(runtime, request);
    await eventually(() => handled.some((event) => event.id === request.expected.id));
    const [archived] = (await readArchive(runtime.archive, { id: request.expected.id })).events;

    // Assess
    const token = (request.expected.data.raw as { candidate_agent: { authentication_token: string } }).candidate_agent.authentication_token;
    const inHandler = handled.find((event) => event.id === request.expected.id);
    expect(JSON.stringify(inHandler?.data.raw)).toContain(token);
    expect(JSON.stringify(archived?.event.data.raw)).not.toContain(token);
    expect(JSON.stringify(archived?.event.data.raw)).toContain('"authentication_token":"[REDACTED]"');
  });

  it('answers 400 with one line for a query it cannot use', async () => {
    const answer = await fetch(`${runtime.url}/_local/archive?from=yesterday`);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toMatch(/^from must be an ISO 8601 time/);
  });
});

describe('the archive of the local pipeline with archiveDelivery "s3"', () => {
  it('puts one object per batch, readable at once', async () => {
    // Prepare
    const runtime = await startTestRuntime({ archiveDelivery: 's3' });
    try {
      const request = await signedSample('qikchat', 'message-text');

      // Act
      expect((await post(runtime, request)).status).toBe(200);
      await waitForEvent(runtime, (event) => event.id === request.expected.id);
      const [archived] = (await readArchive(runtime.archive, { id: request.expected.id })).events;

      // Assess: the worker's own object name, not Firehose's
      expect(archived?.object).toMatch(/^events\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\/\d{8}T\d{9}Z-[0-9a-f-]{36}\.jsonl\.gz$/);
    } finally {
      await runtime.stop();
    }
  });
});
