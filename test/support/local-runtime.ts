/**
 * Test helpers around the local runtime: a pipeline on random ports with known test secrets, signed
 * requests over real HTTP, and waiting on the worker without asserting on time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../dev/local/runtime.js';
import { defaultSample, listSamples, readSample } from '../../dev/local/samples.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider, providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { devProvider, signDelivery } from '../../dev/providers.js';

/** TEST secrets, one per provider (not credentials of any account). */
export const testSecrets: Record<string, string> = Object.fromEntries(
  providers.map((provider) => [provider.slug, provider.slug === 'qikchat' ? 'test-user:test:pass' : `test-secret-${provider.slug}`]),
);

/** The environment that configures {@link testSecrets}. */
export function testEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(providers.map((provider) => [devProvider(provider).secretEnv, testSecrets[provider.slug]]));
}

/** A local runtime on random ports, silent, with the test secrets. */
export function startTestRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  return startLocalRuntime({ port: 0, logLevel: 'SILENT', env: testEnvironment(), ...options });
}

export function provider(slug: string): ProviderDefinition {
  const found = findProvider(slug);
  if (!found) throw new Error(`no provider ${slug}`);
  return found;
}

export interface SignedRequest {
  readonly provider: ProviderDefinition;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  /** The event the gateway must make of it (same library, computed up front). */
  readonly expected: WebhookEvent;
}

/** A body signed for a provider with its test secret. */
export function signed(slug: string, body: Buffer | string, secret = testSecrets[slug] ?? ''): SignedRequest {
  const p = provider(slug);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const headers = { 'content-type': 'application/json', ...signDelivery(p, bytes, secret) };
  return { provider: p, body: bytes, headers, expected: normaliseDelivery(p, { rawBody: bytes, headers, receivedAt: new Date() }) };
}

/** A signed Qikchat text message from `from` (its conversation), with its own message id and text. */
export function qikchatText(from: string, id: string, text = `text of ${id}`): SignedRequest {
  const body = JSON.stringify({
    event: 'whatsapp:message:in',
    payload: {
      id,
      name: 'whatsapp',
      contacts: [{ profile: { name: 'Test' }, to: '+10000000000' }],
      message: { from, timestamp: '2026-12-07T00:00:00.000Z', text: { body: text }, type: 'text' },
    },
  });
  return signed('qikchat', body);
}

/** The provider's default sample, signed. */
export async function signedSample(slug: string, name?: string): Promise<SignedRequest> {
  const sample = name ?? defaultSample(await listSamples(slug));
  if (!sample) throw new Error(`no samples for ${slug}`);
  return signed(slug, await readSample(slug, sample));
}

/** POSTs a signed request to the runtime over HTTP. */
export async function post(runtime: LocalRuntime, request: SignedRequest, path = `/webhooks/${request.provider.slug}`) {
  const response = await fetch(`${runtime.url}${path}`, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, body: await response.text() };
}

/** Waits until the worker processed an event matching `predicate` (bounded; the test fails after). */
export async function waitForEvent(runtime: LocalRuntime, predicate: (event: WebhookEvent) => boolean, timeoutMs = 20_000): Promise<WebhookEvent> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const found = runtime.events().find(predicate);
    if (found) return found;
    await sleep(50);
  }
  throw new Error('the worker did not process the expected event in time');
}

/** Waits until `condition` holds (bounded). */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}

/** Messages in a queue: visible, in flight and delayed. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}
