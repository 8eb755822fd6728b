/**
 * `npm run send -- <provider> [<sample>]`: posts a correctly signed sample to the running local runtime
 * and follows it through: received, enqueued, processed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { webhookPath } from '../../lib/events/webhook-path.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider, providers } from '../../lib/providers/registry.js';
import { signDelivery } from '../providers.js';
import { defaultSample, listSamples, readSample } from '../local/samples.js';
import { localPort, localSecret } from '../local/settings.js';

const [slug, requested] = process.argv.slice(2);
const base = process.env.SEND_URL ?? `http://127.0.0.1:${localPort()}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const provider = slug ? findProvider(slug) : undefined;
if (!provider) fail(`Usage: npm run send -- <provider> [<sample>]\nProviders: ${providers.map((p) => p.slug).join(', ')}`);
const samples = await listSamples(provider.slug);
const sample = requested ?? defaultSample(samples);
if (!sample || !samples.includes(sample)) fail(`Unknown sample "${String(sample)}". Samples of ${provider.slug}: ${samples.join(', ')}`);

const body = await readSample(provider.slug, sample);
let secret: string;
try {
  secret = localSecret(provider);
} catch (error) {
  fail(`npm run send: ${error instanceof Error ? error.message : String(error)}`);
}
const headers = { 'content-type': 'application/json', ...signDelivery(provider, body, secret) };
// The same library the receiver runs tells us which event to look for.
const expected = normaliseDelivery(provider, { rawBody: body, headers, receivedAt: new Date() });

async function processedCount(): Promise<number> {
  const response = await fetch(`${base}/_local/events`);
  const events = (await response.json()) as WebhookEvent[];
  return events.filter((event) => event.id === expected.id).length;
}

/** How often the event was processed, once it changes from `before`; undefined if it did not in time. */
async function waitForProcessing(before: number, timeoutMs: number): Promise<number | undefined> {
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    const count = await processedCount().catch(() => before);
    if (count > before) return count;
    await sleep(250);
  }
  return undefined;
}

const url = `${base}${webhookPath(provider.slug)}`;
process.stdout.write(`→ POST ${url}  (${sample}.json, ${body.length} bytes, signed)\n`);
let before: number;
let response: Response;
try {
  before = await processedCount();
  response = await fetch(url, { method: 'POST', headers, body });
} catch {
  fail(`Nothing answers at ${base}. Start the pipeline first: npm start`);
}
const text = await response.text();
process.stdout.write(`← ${response.status} ${text}\n`);
if (response.status !== 200) fail('✗ not accepted (see the log of npm start for the reason)');
process.stdout.write(`✓ received and enqueued as ${expected.type} (event id ${expected.id})\n`);

// A re-delivery of an event processed in the last 5 minutes is dropped by SQS deduplication: wait less.
if ((await waitForProcessing(before, before > 0 ? 3_000 : 15_000)) !== undefined) {
  process.stdout.write(`✓ processed by the worker: ${base}/_local/events\n`);
} else if (before > 0) {
  process.stdout.write('✓ already processed earlier: SQS deduplicated this re-delivery (same event id within 5 minutes)\n');
} else {
  fail('✗ not processed within 15 s: see the log of npm start and /_local/dead-letters');
}
