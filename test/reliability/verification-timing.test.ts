/**
 * Verification time does not depend on where a signature differs. Not a stopwatch (wall-clock tests are
 * flaky and prove little): the code path is asserted instead. A signature that differs in its first byte
 * and one that differs in its last both reach `crypto.timingSafeEqual` the same number of times, with
 * equal lengths, and fail the same way; a signature of the wrong length is refused by the length check
 * before any comparison (timingSafeEqual would throw on it).
 */
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { SignatureMismatchError } from '../../lib/providers/kit/errors.js';
import { signDelivery } from '../../dev/providers.js';

// A pass-through spy: the real comparison runs, and every call is recorded.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/** How each provider writes its signature bytes into its header. */
interface SignatureCodec {
  readonly decode: (value: string) => Buffer;
  readonly encode: (bytes: Buffer) => string;
}
const hex: SignatureCodec = { decode: (v) => Buffer.from(v, 'hex'), encode: (b) => b.toString('hex') };
const base64: SignatureCodec = { decode: (v) => Buffer.from(v, 'base64'), encode: (b) => b.toString('base64') };
const codecs: Record<string, SignatureCodec> = {
  'qiscus-omnichannel': base64,
  'qiscus-sdk': hex,
  chatzuri: hex,
  qikchat: { decode: (v) => Buffer.from(v.replace(/^Basic /, ''), 'base64'), encode: (b) => `Basic ${b.toString('base64')}` },
};

const BODY = Buffer.from('{"payload":{"message":"timing","conversationId":"conv-timing"},"eventType":"message.received","channel":"web","agentId":"a"}');
const SECRET = 'timing-user:timing-secret';

function signatureOf(provider: ProviderDefinition): [string, string] {
  const entry = Object.entries(signDelivery(provider, BODY, SECRET))[0];
  if (!entry) throw new Error(`${provider.slug} signs with no header`);
  return entry;
}

/** Verifies a delivery whose signature bytes were changed by `change`; what happened, and every comparison. */
function verifyChanged(provider: ProviderDefinition, change: (bytes: Buffer) => Buffer) {
  const codec = codecs[provider.slug];
  if (!codec) throw new Error(`no codec for ${provider.slug}`);
  const [header, value] = signatureOf(provider);
  const changed = codec.encode(change(codec.decode(value)));
  const spy = vi.mocked(crypto.timingSafeEqual);
  spy.mockClear();
  let error: unknown;
  try {
    provider.verify({ rawBody: BODY, headers: { [header]: changed }, receivedAt: new Date() }, [SECRET]);
  } catch (thrown) {
    error = thrown;
  }
  const comparisons = spy.mock.calls.map(([a, b], index) => ({ lengths: [a.byteLength, b.byteLength], equal: spy.mock.results[index]?.value as boolean }));
  return { error, comparisons };
}

const flip = (index: (bytes: Buffer) => number) => (bytes: Buffer) => {
  const changed = Buffer.from(bytes);
  const at = index(changed);
  changed[at] = (changed[at] ?? 0) ^ 0x01;
  return changed;
};

describe.each(providers.map((p) => [p.slug, p] as const))('%s verification timing', (_slug, provider) => {
  beforeEach(() => {
    vi.mocked(crypto.timingSafeEqual).mockClear();
  });

  it('accepts the untouched signature through timingSafeEqual', () => {
    // Act
    const { error, comparisons } = verifyChanged(provider, (bytes) => bytes);
    // Assess
    expect(error).toBeUndefined();
    expect(comparisons.some((c) => c.equal)).toBe(true);
  });

  it('takes the same path for a signature differing in its first byte as in its last', () => {
    // Act
    const first = verifyChanged(provider, flip(() => 0));
    const last = verifyChanged(provider, flip((bytes) => bytes.length - 1));
    // Assess: both refused alike, after the same constant-time comparisons of equal-length buffers
    expect(first.error).toBeInstanceOf(SignatureMismatchError);
    expect(last.error).toBeInstanceOf(SignatureMismatchError);
    expect(first.comparisons.length).toBeGreaterThan(0);
    expect(first.comparisons).toEqual(last.comparisons);
    for (const { lengths, equal } of first.comparisons) {
      expect(lengths[0]).toBe(lengths[1]);
      expect(equal).toBe(false);
    }
  });

  it('refuses a signature of the wrong length by the length check, before any comparison', () => {
    // Act
    const shorter = verifyChanged(provider, (bytes) => bytes.subarray(0, bytes.length - 1));
    const longer = verifyChanged(provider, (bytes) => Buffer.concat([bytes, Buffer.from([0])]));
    // Assess
    expect(shorter.error).toBeInstanceOf(SignatureMismatchError);
    expect(longer.error).toBeInstanceOf(SignatureMismatchError);
    expect([shorter.comparisons, longer.comparisons]).toEqual([[], []]);
  });
});
