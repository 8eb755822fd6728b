import { readdir, readFile } from 'node:fs/promises';

/** `dev/samples/<slug>/`: a provider's samples, each beside its golden event. */
export const samplesFolder = (provider: string): URL => new URL(`../samples/${provider}/`, import.meta.url);

/** The suffix of the golden file beside each sample: the event the sample must become (`npm run golden`). */
export const GOLDEN_EVENT_SUFFIX = '.event.json';

/** Whether a file in `dev/samples/<slug>/` is a sample (`<name>.json`), not the golden event beside one. */
export function isSampleFile(file: string): boolean {
  return file.endsWith('.json') && !file.endsWith(GOLDEN_EVENT_SUFFIX);
}

/** A sample's name: its file name without `.json`. */
export function sampleName(file: string): string {
  return file.slice(0, -'.json'.length);
}

/** The sample names of a provider, sorted. */
export async function listSamples(provider: string): Promise<string[]> {
  const files = await readdir(samplesFolder(provider)).catch(() => []);
  return files.filter(isSampleFile).map(sampleName).sort();
}

/** A sample's bytes exactly as stored: what gets signed and sent. */
export function readSample(provider: string, name: string): Promise<Buffer> {
  return readFile(new URL(`${name}.json`, samplesFolder(provider)));
}

// The most ordinary delivery of each provider: a customer's text message.
const PREFERRED_DEFAULTS = ['message-text', 'message-whatsapp', 'bot-webhook', 'message'];

/** The sample sent when none is named: a plain incoming message, else the first sample. */
export function defaultSample(samples: readonly string[]): string | undefined {
  return PREFERRED_DEFAULTS.find((name) => samples.includes(name)) ?? samples.find((name) => name.startsWith('message')) ?? samples[0];
}
