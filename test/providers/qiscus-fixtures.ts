/**
 * Test helpers for the two Qiscus providers: sample bodies, their openssl-computed signatures, and small
 * factories for deliveries and comment payloads.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import type { WebhookDelivery } from '../../lib/providers/types.js';
import type { Headers } from '../../lib/verification/headers.js';

const ROOT = new URL('../../', import.meta.url);

/** When every test delivery was received; the event's time when the payload carries none. */
export const RECEIVED_AT = new Date('2024-07-01T12:00:00.000Z');

/** The raw bytes of `lib/providers/<slug>/samples/<name>.json`, exactly as on disk (and as signed). */
export function sampleBytes(slug: string, name: string): Uint8Array {
  return readFileSync(new URL(`lib/providers/${slug}/samples/${name}.json`, ROOT));
}

/** The names of a provider's samples (`message`, `new-session`...). */
export function sampleNames(slug: string): string[] {
  return readdirSync(new URL(`lib/providers/${slug}/samples/`, ROOT))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A sample, parsed. */
export function sampleJson(slug: string, name: string): unknown {
  return JSON.parse(Buffer.from(sampleBytes(slug, name)).toString('utf8')) as unknown;
}

/** `test/fixtures/signatures/<slug>.json`, written by `test/fixtures/sign-samples.sh` with openssl. */
export interface SignatureFixture {
  readonly secrets: { readonly current: string; readonly previous: string };
  readonly samples: Readonly<
    Record<string, { readonly current: Record<string, string>; readonly previous: Record<string, string> }>
  >;
}

/** The openssl signatures of a provider's samples. */
export function signatureFixture(slug: string): SignatureFixture {
  return JSON.parse(readFileSync(new URL(`test/fixtures/signatures/${slug}.json`, ROOT), 'utf8')) as SignatureFixture;
}

/** The signature headers (current or previous secret) of one sample; fails the test when the fixture lacks it. */
export function signedHeaders(fixture: SignatureFixture, sample: string, secret: 'current' | 'previous'): Record<string, string> {
  const signed = fixture.samples[sample];
  if (signed === undefined) throw new Error(`No signature fixture for sample "${sample}": run test/fixtures/sign-samples.sh`);
  return { ...signed[secret] };
}

export interface DeliveryOptions {
  /** The body: bytes as they are, a string as UTF-8, anything else as JSON. */
  readonly body: Uint8Array | string | object;
  readonly headers?: Headers;
  readonly kindHint?: string;
}

/** A delivery as the receiver would hand it over. */
export function deliveryFactory(options: DeliveryOptions): WebhookDelivery {
  const { body } = options;
  const rawBody =
    body instanceof Uint8Array
      ? body
      : new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return { rawBody, headers: options.headers ?? {}, kindHint: options.kindHint, receivedAt: RECEIVED_AT };
}

/** A sample's delivery, optionally signed with the fixture's current or previous signature. */
export function sampleDelivery(
  slug: string,
  name: string,
  options: { readonly kindHint?: string; readonly headers?: Headers } = {},
): WebhookDelivery {
  return deliveryFactory({ body: sampleBytes(slug, name), ...options });
}

/** The same bytes with one bit of the middle byte flipped: the smallest change a signature must notice. */
export function withOneByteChanged(bytes: Uint8Array): Uint8Array {
  const changed = Uint8Array.from(bytes);
  const middle = Math.floor(changed.length / 2);
  changed[middle] = (changed[middle] ?? 0) ^ 0x01;
  return changed;
}

export interface CommentOptions {
  readonly type?: string;
  readonly message?: Record<string, unknown>;
  readonly room?: Record<string, unknown>;
  readonly from?: Record<string, unknown>;
}

/** A `post_comment_mobile` payload; override the message, room or sender to build a variant. */
export function commentPayloadFactory(options: CommentOptions = {}): Record<string, unknown> {
  return {
    type: options.type ?? 'post_comment_mobile',
    payload: {
      from: { id: 0, id_str: '0', email: '6281234567890', name: 'Budi Santoso', ...options.from },
      room: { id: '178123456', id_str: '178123456', type: 'group', name: 'Budi Santoso', options: '{"source":"wa"}', ...options.room },
      message: { id: 0, id_str: '0', type: 'text', text: 'Halo', payload: null, ...options.message },
    },
  };
}

type JsonPath = readonly (string | number)[];

/** Every path into a JSON value, the root included. */
function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const children =
    Array.isArray(value)
      ? value.flatMap((item, index) => jsonPaths(item, [...prefix, index]))
      : typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, item]) => jsonPaths(item, [...prefix, key]))
        : [];
  return [prefix, ...children];
}

/** A copy of `value` with the node at `path` replaced, or deleted when `replacement` is undefined. */
function replaceAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) {
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === undefined) delete copy[String(head)];
  else copy[String(head)] = replaceAt(copy[String(head)], rest, replacement);
  return copy;
}

/**
 * Near misses of a sample: one node (a field, an array item, the whole body) replaced by any JSON value or
 * deleted. They reach far deeper into the recognisers than arbitrary JSON, which never looks like a payload.
 */
export function sampleVariantArbitrary(sample: unknown): fc.Arbitrary<unknown> {
  const paths = jsonPaths(sample);
  return fc
    .tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([path, replacement]) => replaceAt(sample, path, path.length === 0 ? (replacement ?? null) : replacement));
}

/** Headers as a receiver might hand them over: any names, single values or repeated ones, sometimes the signature header. */
export function headersArbitrary(signatureHeader: string): fc.Arbitrary<Headers> {
  const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
  const name = fc.oneof(fc.string(), fc.constantFrom(signatureHeader, signatureHeader.toUpperCase(), signatureHeader.toLowerCase()));
  return fc.dictionary(name, value, { maxKeys: 4 });
}
