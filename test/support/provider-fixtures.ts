/**
 * Test helpers shared by the provider tests: the documentation samples, the signatures openssl computed for
 * them, a delivery factory, the smallest changes a signature must notice, and short ways to normalise a
 * delivery or catch a verification failure.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { WebhookEventSchema, type EventType, type WebhookEvent, type WebhookEventOf } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import type { VerificationFailureReason } from '../../lib/providers/kit/errors.js';
import type { Headers } from '../../lib/events/delivery.js';
import { isSampleFile } from '../../dev/local/samples.js';

const ROOT = new URL('../../', import.meta.url);

/** When every test delivery was received, unless a test says otherwise; the event's time when the payload carries none. */
export const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');

// ---------------------------------------------------------------------------------------------------------
// Samples and their signatures
// ---------------------------------------------------------------------------------------------------------

/**
 * The raw bytes of `dev/samples/<slug>/<name>.json`, exactly as on disk (and as signed).
 *
 * @example sampleBytes('qikchat', 'message-text')
 */
export function sampleBytes(slug: string, name: string): Uint8Array {
  return readFileSync(new URL(`dev/samples/${slug}/${name}.json`, ROOT));
}

/** The names of a provider's samples (`message`, `new-session`...), sorted. */
export function sampleNames(slug: string): string[] {
  return readdirSync(new URL(`dev/samples/${slug}/`, ROOT))
    .filter(isSampleFile)
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A sample, parsed. */
export function sampleJson(slug: string, name: string): unknown {
  return JSON.parse(Buffer.from(sampleBytes(slug, name)).toString('utf8')) as unknown;
}

/**
 * `test/fixtures/signatures/<slug>.json`, written by `test/fixtures/sign-samples.sh` with openssl: an
 * implementation independent of the code under test. Every sample has its headers signed with the `current`
 * and the `previous` secret; a provider with more signature forms (Chatzuri) names them in `Form`.
 */
export interface SignatureFixture<Form extends string = 'current' | 'previous'> {
  readonly secrets: { readonly current: string; readonly previous: string };
  readonly samples: Readonly<Record<string, Readonly<Record<Form, Readonly<Record<string, string>>>>>>;
}

/** The openssl signatures of a provider's samples. */
export function signatureFixture<Form extends string = 'current' | 'previous'>(slug: string): SignatureFixture<Form> {
  return JSON.parse(readFileSync(new URL(`test/fixtures/signatures/${slug}.json`, ROOT), 'utf8')) as SignatureFixture<Form>;
}

/**
 * The signature headers of one sample in one form (`current`, `previous`...); fails the test when the
 * fixture lacks them.
 */
export function signedHeaders<Form extends string>(fixture: SignatureFixture<Form>, sample: string, form: Form): Record<string, string> {
  const headers = fixture.samples[sample]?.[form];
  if (headers === undefined) throw new Error(`No "${form}" signature for sample "${sample}": run test/fixtures/sign-samples.sh`);
  return { ...headers };
}

/** The value of one signature header of one sample in one form; fails the test when the fixture lacks it. */
export function signatureValue<Form extends string>(fixture: SignatureFixture<Form>, sample: string, form: Form, header: string): string {
  const value = signedHeaders(fixture, sample, form)[header];
  if (value === undefined) throw new Error(`No "${header}" header in the "${form}" signature of sample "${sample}"`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------------------------------------

export interface DeliveryOptions {
  /** The body: bytes as they are, a string as UTF-8 text, anything else as JSON. */
  readonly body: Uint8Array | string | object;
  readonly headers?: Headers;
  readonly kindHint?: string | undefined;
  /** @default RECEIVED_AT */
  readonly receivedAt?: Date;
}

/**
 * A delivery as the receiver would hand it over.
 *
 * @example deliveryFactory({ body: { event: 'whatsapp:message:in' }, headers: { Authorization: 'Basic ...' } })
 */
export function deliveryFactory(options: DeliveryOptions): WebhookDelivery {
  const { body } = options;
  const rawBody =
    body instanceof Uint8Array ? body : new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return { rawBody, headers: options.headers ?? {}, kindHint: options.kindHint, receivedAt: options.receivedAt ?? RECEIVED_AT };
}

/** The delivery of a sample's bytes; unsigned unless headers are given. */
export function sampleDelivery(slug: string, name: string, options: Omit<DeliveryOptions, 'body'> = {}): WebhookDelivery {
  return deliveryFactory({ ...options, body: sampleBytes(slug, name) });
}

/** The same bytes with one bit of the middle byte flipped: the smallest change a signature must notice. */
export function withOneByteChanged(bytes: Uint8Array): Uint8Array {
  const changed = Uint8Array.from(bytes);
  const middle = Math.floor(changed.length / 2);
  changed[middle] = (changed[middle] ?? 0) ^ 0x01;
  return changed;
}

/**
 * The bytes with the first `from` replaced by `to`, which must be as long, so that only those bytes change.
 *
 * @example withChangedBytes(body, 'Hello', 'Jello')
 */
export function withChangedBytes(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const changed = Buffer.from(bytes);
  const at = changed.indexOf(from);
  if (at < 0 || Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error(`cannot change "${from}" to "${to}"`);
  changed.write(to, at, 'utf8');
  return changed;
}

// ---------------------------------------------------------------------------------------------------------
// Acting and assessing
// ---------------------------------------------------------------------------------------------------------

/** Normalises a delivery and parses the result with the event schema, as every consumer will. */
export function normalise(provider: ProviderDefinition, delivery: WebhookDelivery): WebhookEvent {
  return WebhookEventSchema.parse(normaliseDelivery(provider, delivery));
}

/** Asserts the event's type and narrows it, so the test can read that type's data. */
export function ofType<T extends EventType>(event: WebhookEvent, type: T): WebhookEventOf<T> {
  expect(event.type).toBe(type);
  return event as WebhookEventOf<T>;
}

/** The error the provider's `verify` throws for this delivery; fails the test when it accepts the delivery. */
export function rejectionOf(provider: ProviderDefinition, delivery: WebhookDelivery, secrets: readonly string[]): unknown {
  try {
    provider.verify(delivery, secrets);
  } catch (error) {
    return error;
  }
  throw new Error('expected the delivery to be rejected');
}

/** Asserts a rejection's error class and its reason. */
export function expectRejected(error: unknown, type: new (...args: never[]) => Error, reason: VerificationFailureReason): void {
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ reason });
}
