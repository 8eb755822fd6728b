/**
 * Customer content stays out of INFO: every provider sample goes through its receiver and the worker with
 * logs at INFO, and no message text, person's name or phone number of any sample appears in what they write.
 * The same run at DEBUG shows the content (the event), so the search can find what it looks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { listSamples, readSample } from '../../dev/local/samples.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { providers } from '../../lib/providers/registry.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { captureStdout } from '../support/capture-stdout.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { signed, testSecrets, type SignedRequest } from '../support/local-runtime.js';
import { sqsRecord } from '../support/sqs-records.js';
import { startTestIdempotencyStore } from '../support/idempotency-store.js';

const PHONE = /^\+?\d{9,15}$/;
const PHONE_KEY = /phone|^from$|^to$|wa_id|e?mail|user_?id|mobile/i;
const CONTENT_KEY = /^(text|name|phone|email|caption)$/i;

/** The customer content in a sample: what its event says a person wrote or is called, and every phone number. */
function customerContent(raw: unknown, event: WebhookEvent): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, key: string, keep: (key: string, text: string) => boolean) => {
    if (typeof value === 'string' && keep(key, value)) found.add(value.replace(/^\+/, ''));
    else if (Array.isArray(value)) for (const item of value) walk(item, key, keep);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, keep);
  };
  walk(raw, '', (key, text) => PHONE_KEY.test(key) && PHONE.test(text));
  const { raw: _raw, ...normalised } = event.data as Record<string, unknown>;
  walk(normalised, '', (key, text) => CONTENT_KEY.test(key) && text.trim().length >= 3);
  return found;
}

describe('customer content in the logs', () => {
  let embedded: EmbeddedSqs;
  const requests: SignedRequest[] = [];
  const content = new Set<string>();

  beforeAll(async () => {
    embedded = await startEmbeddedSqs();
    for (const provider of providers) {
      for (const name of await listSamples(provider.slug)) {
        const body = await readSample(provider.slug, name);
        const request = signed(provider.slug, body);
        requests.push(request);
        for (const text of customerContent(JSON.parse(body.toString('utf8')), request.expected)) content.add(text);
      }
    }
  });
  afterAll(() => embedded.stop());

  /**
   * Every sample through its receiver, then every event through the worker twice (the second time as duplicates),
   * at `logLevel`; the lines written.
   */
  async function run(logLevel: string): Promise<string[]> {
    const logger = createLogger({ logLevel });
    const receivers = new Map(
      providers.map((provider) => [
        provider.slug,
        createReceiverHandler({
          provider,
          logger,
          secrets: { getSecrets: async () => ({ secrets: [testSecrets[provider.slug] ?? ''] }) },
          queue: { sqs: embedded.sqs, queueUrl: embedded.queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
          verification: 'enforced',
        }),
      ]),
    );
    // A store per run: the DEBUG run's handlers must run again.
    const store = await startTestIdempotencyStore();
    const worker = createWorkerHandler({ logger, handlers: {}, ...store.guards() });
    const batch = { Records: requests.map((request, index) => sqsRecord(request.expected, index)) };
    return captureStdout(
      async () => {
        for (const request of requests) {
          const receiver = receivers.get(request.provider.slug);
          const event = httpApiEvent({ path: `/webhooks/${request.provider.slug}`, body: request.body, headers: request.headers });
          expect((await receiver?.(event, localLambdaContext('receiver', 5_000)))?.statusCode).toBe(200);
        }
        await worker(batch, localLambdaContext('worker', 30_000));
        await worker(batch, localLambdaContext('worker', 30_000));
      },
      { stderr: true },
    ).finally(() => store.stop());
  }

  it('has content to look for in the samples (names, phone numbers, message text)', () => {
    // Assess
    expect(content.size).toBeGreaterThan(20);
    expect(content).toContain('919812345678');
  });

  it('keeps every name, phone number and message text of every sample out of INFO lines', async () => {
    // Act
    const lines = await run('INFO');

    // Assess: the run was logged, one line per delivery and per processed event ...
    expect(lines.filter((line) => line.includes('"Delivery accepted"'))).toHaveLength(requests.length);
    expect(lines.filter((line) => line.includes('"Event processed"'))).toHaveLength(requests.length);
    expect(lines.filter((line) => line.includes('"Event is a duplicate'))).toHaveLength(requests.length);
    // ... and none of it holds customer content, event ids included
    expect([...content].filter((text) => lines.some((line) => line.includes(text)))).toEqual([]);
  });

  it('shows the content at DEBUG', async () => {
    // Act
    const lines = await run('DEBUG');

    // Assess
    expect([...content].filter((text) => !lines.some((line) => line.includes(text)))).toEqual([]);
  });
});
