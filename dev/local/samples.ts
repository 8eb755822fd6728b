import { readdir, readFile } from 'node:fs/promises';

const samplesFolder = (provider: string) => new URL(`../samples/${provider}/`, import.meta.url);

/** The sample names of a provider (file names without `.json`; not the `*.event.json` golden events beside them), sorted. */
export async function listSamples(provider: string): Promise<string[]> {
  const files = await readdir(samplesFolder(provider)).catch(() => []);
  return files.filter((file) => file.endsWith('.json') && !file.endsWith('.event.json')).map((file) => file.slice(0, -'.json'.length)).sort();
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
