/**
 * Golden files: beside each provider sample `dev/samples/<slug>/<name>.json` lies the CloudEvent it must become,
 * `<name>.event.json`. This module makes that event text; `npm run golden` compares it with the files (and
 * `npm run golden -- --update` rewrites them after an intended change); test/providers/golden.test.ts asserts it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { WebhookDelivery } from '../lib/events/delivery.js';
import type { WebhookEvent } from '../lib/events/schema.js';
import { normaliseDelivery } from '../lib/normalise/normalise.js';
import { isRawJsonNumber } from '../lib/providers/kit/exact-json.js';
import type { ProviderDefinition } from '../lib/providers/types.js';
import { GOLDEN_EVENT_SUFFIX, isSampleFile, sampleName, samplesFolder } from './local/samples.js';
import { devProvider } from './providers.js';

/** When every golden delivery was received: the event's time when its payload carries none. */
const GOLDEN_RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');

/** The secret the golden deliveries are signed with, by the provider's development signer. */
export const GOLDEN_SECRET = 'golden-sample-secret';

/** One sample and where its golden event lives. */
export interface GoldenSample {
  readonly name: string;
  /** The sample's bytes exactly as stored: what is signed and normalised. */
  readonly body: Buffer;
  /** `dev/samples/<slug>/<name>.event.json`. */
  readonly eventFile: URL;
}

/** Every sample of a provider, sorted by name. */
export function goldenSamples(slug: string): GoldenSample[] {
  const folder = samplesFolder(slug);
  return readdirSync(folder)
    .filter(isSampleFile)
    .sort()
    .map((file) => {
      const name = sampleName(file);
      return { name, body: readFileSync(new URL(file, folder)), eventFile: new URL(`${name}${GOLDEN_EVENT_SUFFIX}`, folder) };
    });
}

/** The golden event files of a provider whose sample is gone: each should be deleted with its sample. */
export function orphanGoldenFiles(slug: string): string[] {
  const files = readdirSync(samplesFolder(slug));
  return files
    .filter((file) => file.endsWith(GOLDEN_EVENT_SUFFIX))
    .filter((file) => !files.includes(`${file.slice(0, -GOLDEN_EVENT_SUFFIX.length)}.json`))
    .sort();
}

/**
 * The sample as the provider would deliver it: signed by the provider's development signer with
 * {@link GOLDEN_SECRET}, received at {@link GOLDEN_RECEIVED_AT}, without a URL kind hint.
 */
export function goldenDelivery(provider: ProviderDefinition, body: Uint8Array): WebhookDelivery {
  return { rawBody: body, headers: devProvider(provider).sign(body, GOLDEN_SECRET), kindHint: undefined, receivedAt: GOLDEN_RECEIVED_AT };
}

/** A copy with every object's keys in order, so the file does not change with the order the code writes them. */
function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  // A number kept as its source text is written verbatim by JSON.stringify: leave it whole.
  if (typeof value !== 'object' || value === null || isRawJsonNumber(value)) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, withSortedKeys(item)]));
}

/** The golden text of an event: pretty-printed, keys sorted, one final newline. */
export function goldenText(event: WebhookEvent): string {
  return `${JSON.stringify(withSortedKeys(event), null, 2)}\n`;
}

/** The golden text of a sample: the event the current normaliser makes of its {@link goldenDelivery}. */
export function goldenEventText(provider: ProviderDefinition, body: Uint8Array): string {
  return goldenText(normaliseDelivery(provider, goldenDelivery(provider, body)));
}
