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

    // Assess: each processed event is archived (the worker archives before it handles)
    const archived = new Set((await readArchive(runtime.archive)).events.map((entry) => entry.event.id));
    for (const event of runtime.events()) expect(archived.has(event.id), event.id).toBe(true);
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
