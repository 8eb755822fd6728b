/**
 * `npm run send -- <provider> [<sample> | --file <payload.json>]`: posts a correctly signed sample, or your own
 * payload, to the running local runtime (`SEND_URL`, else port `PORT`) and follows it through: received, enqueued,
 * and what the worker did with it (`GET /_local/outcomes`): processed by its handler, only logged for want of one,
 * or already handled earlier.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerOutcome } from '../local/outcomes.js';
import { webhookPath } from '../../lib/events/webhook-path.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider, providers } from '../../lib/providers/registry.js';
import { signDelivery } from '../providers.js';
import { defaultSample, listSamples, readSample } from '../local/samples.js';
import { withLocalMediaLinks } from '../local/media-server.js';
import { localSecret, localUrl } from '../local/settings.js';
import { parseCommandLine, usageError } from './arguments.js';

const COMMAND = 'npm run send';
const USAGE = [
  'Usage: npm run send -- <provider> [<sample>]            a signed sample of dev/samples/<provider>/',
  '       npm run send -- <provider> --file <payload.json>  your own payload, signed with the local secret',
  `Providers: ${providers.map((p) => p.slug).join(', ')}`,
  'Sends to SEND_URL, else http://127.0.0.1:$PORT (PORT default 3000).',
].join('\n');

const { values, positionals } = parseCommandLine(
  COMMAND,
  { allowPositionals: true, options: { file: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } },
  USAGE,
);
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [slug, requested, ...extra] = positionals;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let base: string;
try {
  base = localUrl();
} catch (error) {
  fail(`${COMMAND}: ${error instanceof Error ? error.message : String(error)}`);
}
if (!slug) usageError(COMMAND, 'which provider?', USAGE);
const provider = findProvider(slug);
if (!provider) usageError(COMMAND, `unknown provider "${slug}"`, USAGE);
if (extra.length > 0 || (requested !== undefined && values.file !== undefined)) usageError(COMMAND, 'a sample or --file, not both', USAGE);

let body: Buffer;
let what: string;
if (values.file !== undefined) {
  const file = values.file;
  body = await readFile(file).catch((error: unknown) => fail(`${COMMAND}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`));
  what = file;
} else {
  const samples = await listSamples(provider.slug);
  const sample = requested ?? defaultSample(samples);
  if (!sample || !samples.includes(sample)) fail(`Unknown sample "${String(sample)}". Samples of ${provider.slug}: ${samples.join(', ')}`);
  // Its media links point at the runtime's copy of the sample's files, so the worker stores a real file.
  body = await withLocalMediaLinks(provider.slug, await readSample(provider.slug, sample), base);
  what = `${sample}.json`;
}
let secret: string;
try {
  secret = localSecret(provider);
} catch (error) {
  fail(`npm run send: ${error instanceof Error ? error.message : String(error)}`);
}
const headers = { 'content-type': 'application/json', ...signDelivery(provider, body, secret) };
// The same library the receiver runs tells us which event to look for.
const expected = normaliseDelivery(provider, { rawBody: body, headers, receivedAt: new Date() });

/** What the worker did with the event so far in this run of npm start: processed, or found handled before. */
async function outcomes(): Promise<WorkerOutcome[]> {
  const response = await fetch(`${base}/_local/outcomes?id=${encodeURIComponent(expected.id)}`);
  if (!response.ok) throw new Error(`GET /_local/outcomes answered ${String(response.status)}`);
  return (await response.json()) as WorkerOutcome[];
}

/** The worker's next outcome for the event, after the `before` it had; undefined if none came in time. */
async function nextOutcome(before: number, timeoutMs: number): Promise<WorkerOutcome | undefined> {
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    const found = await outcomes().catch(() => []);
    if (found.length > before) return found[before];
    await sleep(250);
  }
  return undefined;
}

/** The line for what the worker did, and whether that is what a send is for (its content handled now or before). */
function outcomeLine(outcome: WorkerOutcome): { line: string; ok: boolean } {
  const type = outcome.type ?? expected.type;
  if (outcome.outcome === 'duplicate') {
    return {
      ok: true,
      line: `✓ already handled earlier: the worker acknowledged it as a duplicate without running its handler again (event id ${expected.id}; the idempotency records in .local/ outlive a restart: npm start -- --fresh forgets them)`,
    };
  }
  if (outcome.outcome === 'conflicting-duplicate') {
    return {
      ok: false,
      line: `✗ not run: event id ${expected.id} was handled earlier with other content, so the worker did not run this copy (archived marked conflicting-duplicate). Give the payload its own id, or npm start -- --fresh`,
    };
  }
  if (!outcome.handler) {
    return { ok: true, line: `✓ processed by the worker — no handler is registered for ${type}, so it was only logged (add one in lib/handlers/registry.ts)` };
  }
  return { ok: true, line: `✓ processed by the worker: ${base}/_local/events` };
}

const url = `${base}${webhookPath(provider.slug)}`;
process.stdout.write(`→ POST ${url}  (${what}, ${String(body.length)} bytes, signed)\n`);
let before: number;
let response: Response;
try {
  before = (await outcomes()).length;
  response = await fetch(url, { method: 'POST', headers, body });
} catch {
  fail(`Nothing answers at ${base}. Start the pipeline first (npm start), or point SEND_URL or PORT at it`);
}
const text = await response.text();
process.stdout.write(`← ${response.status} ${text}\n`);
if (response.status !== 200) fail(`✗ not accepted: the reason is in the console (${base}/) and the log of npm start`);
process.stdout.write(`✓ received and enqueued as ${expected.type} (event id ${expected.id})\n`);

// A re-delivery of an event the worker saw in the last 5 minutes is dropped by SQS deduplication: wait less.
const outcome = await nextOutcome(before, before > 0 ? 3_000 : 15_000);
if (outcome !== undefined) {
  const { line, ok } = outcomeLine(outcome);
  if (!ok) fail(line);
  process.stdout.write(`${line}\n`);
} else if (before > 0) {
  process.stdout.write('✓ already handled earlier: SQS deduplicated this re-delivery (same event id within 5 minutes)\n');
} else {
  fail('✗ not processed within 15 s: see the log of npm start, the console and /_local/dead-letters (a failing handler is retried, then its conversation parked)');
}
