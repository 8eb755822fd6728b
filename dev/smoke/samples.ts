/**
 * The delivery `npm run smoke` sends for each provider: its default sample (the one `npm run send -- <provider>`
 * sends), made new for the run. A sample sent twice has the same event id and the worker would not run it again,
 * so each run puts its own token in the provider's own message id field, from which the event id is formed
 * (lib/providers/**), and in the message's text, so a handler or a reader of the log can tell a smoke test.
 */
import { randomBytes } from 'node:crypto';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { defaultSample, listSamples, readSample } from '../local/samples.js';
import { signDelivery } from '../providers.js';

/** Where a provider's default sample carries its message id (the event id's own part) and its text. */
interface SampleFields {
  readonly id: readonly string[];
  readonly text: readonly string[];
}

/** Keyed by slug: a new provider needs its line here (a test checks every registered provider has one). */
const SMOKE_FIELDS: ReadonlyMap<string, SampleFields> = new Map<string, SampleFields>([
  // A Qiscus message's `id_str` (its own id, read before `id`) gives `<slug>:message:<id>`.
  ['qiscus-omnichannel', { id: ['payload', 'message', 'id_str'], text: ['payload', 'message', 'text'] }],
  ['qiscus-sdk', { id: ['payload', 'message', 'id_str'], text: ['payload', 'message', 'text'] }],
  // The WhatsApp message id gives `qikchat:in:<id>`.
  ['qikchat', { id: ['payload', 'id'], text: ['payload', 'message', 'text', 'body'] }],
  // A documented `messageId` gives `chatzuri:message.received:<id>`; without one the id would be the body's hash.
  ['chatzuri', { id: ['payload', 'messageId'], text: ['payload', 'message'] }],
]);

/** A sample that cannot be made new for a run: a sample or a provider changed, and this module must follow. */
export class SmokeSampleError extends Error {
  override readonly name: string = 'SmokeSampleError';
}

/**
 * A run's token: `smoke-<UTC time to the second>-<6 random hex digits>`, in every event id the run sends.
 *
 * @example runToken(new Date('2026-11-29T10:15:02Z')) // 'smoke-20261129T101502Z-4f2a9c'
 */
export function runToken(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `smoke-${stamp}-${randomBytes(3).toString('hex')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `path` in `body`, whose parents must exist as objects. */
function setField(body: unknown, path: readonly string[], value: string, where: string): void {
  let parent = body;
  for (const key of path.slice(0, -1)) parent = isRecord(parent) ? parent[key] : undefined;
  const last = path.at(-1);
  if (!isRecord(parent) || last === undefined) throw new SmokeSampleError(`${where} has no ${path.join('.')}: update dev/smoke/samples.ts`);
  parent[last] = value;
}

/** What a run sends to one provider. */
export interface SmokeDelivery {
  /** The sample it was made from (`dev/samples/<slug>/<sample>.json`). */
  readonly sample: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  /** The event the receiver must make of it: the same library, computed up front. */
  readonly expected: WebhookEvent;
}

/**
 * The provider's default sample with `token` as its message id and in its text, signed with `secret`.
 *
 * @throws SmokeSampleError when the provider has no smoke fields or the result's event id does not carry `token`
 * @example (await smokeDelivery(qikchat, 'smoke-20261129T101502Z-4f2a9c', 'user:password')).expected.id // 'qikchat:in:smoke-20261129T101502Z-4f2a9c'
 */
export async function smokeDelivery(provider: ProviderDefinition, token: string, secret: string): Promise<SmokeDelivery> {
  const fields = SMOKE_FIELDS.get(provider.slug);
  if (fields === undefined) throw new SmokeSampleError(`No smoke sample for provider "${provider.slug}": add its fields to dev/smoke/samples.ts`);
  const sample = defaultSample(await listSamples(provider.slug));
  if (sample === undefined) throw new SmokeSampleError(`Provider "${provider.slug}" has no sample in dev/samples/${provider.slug}/`);
  const where = `dev/samples/${provider.slug}/${sample}.json`;
  const json: unknown = JSON.parse((await readSample(provider.slug, sample)).toString('utf8'));
  setField(json, fields.id, token, where);
  setField(json, fields.text, `Smoke test ${token} (npm run smoke)`, where);
  const body = Buffer.from(`${JSON.stringify(json, null, 2)}\n`, 'utf8');
  const headers = { 'content-type': 'application/json', ...signDelivery(provider, body, secret) };
  const expected = normaliseDelivery(provider, { rawBody: body, headers, receivedAt: new Date() });
  // Without the token the id would repeat from run to run, and the worker would take a second run for a duplicate.
  if (!expected.id.includes(token)) throw new SmokeSampleError(`The event id of ${where} (${expected.id}) does not vary per run: update dev/smoke/samples.ts`);
  return { sample, body, headers, expected };
}
