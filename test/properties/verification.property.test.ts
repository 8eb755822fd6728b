import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBody } from '../../lib/providers/kit/body.js';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import {
  MalformedSignatureError,
  MissingSignatureError,
  NoSecretConfiguredError,
  SignatureMismatchError,
  WebhookVerificationError,
  type VerificationFailureReason,
} from '../../lib/providers/kit/errors.js';
import type { Headers } from '../../lib/events/delivery.js';
import { anyBody, anyHeaders, anySecrets, headerName, headerValue, usableSecret } from '../support/arbitraries.js';
import { signDelivery } from '../../dev/providers.js';
import { base64Spellings } from '../providers/base64-spellings.js';

const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');
const NUM_RUNS = 300;

/** Each error class and the one reason it may carry. */
const ERROR_REASONS: readonly (readonly [new (...args: never[]) => WebhookVerificationError, VerificationFailureReason])[] = [
  [MissingSignatureError, 'missing_signature'],
  [MalformedSignatureError, 'malformed_signature'],
  [SignatureMismatchError, 'signature_mismatch'],
  [NoSecretConfiguredError, 'no_secret_configured'],
];

function delivery(rawBody: Uint8Array, headers: Headers): WebhookDelivery {
  return { rawBody, headers, receivedAt: RECEIVED_AT };
}

type Outcome = { readonly verified: true } | { readonly verified: false; readonly error: unknown };

function verifyOutcome(provider: ProviderDefinition, input: WebhookDelivery, secrets: readonly string[]): Outcome {
  try {
    provider.verify(input, secrets);
    return { verified: true };
  } catch (error) {
    return { verified: false, error };
  }
}

/** A rejection is one of the typed errors, with the reason of its class, a name, and no secret in its message. */
function assertTypedRejection(error: unknown, secrets: readonly string[]): void {
  expect(error).toBeInstanceOf(WebhookVerificationError);
  const typed = error as WebhookVerificationError;
  const match = ERROR_REASONS.find(([errorClass]) => typed instanceof errorClass);
  expect(match, `an error of no known subclass: ${typed.name}`).toBeDefined();
  expect(typed.reason).toBe(match?.[1]);
  expect(typed.name).toBe(match?.[0].name);
  expect(typed.message).not.toBe('');
  // Long secrets only: a two-letter secret may well occur in "Missing the ... header" by chance.
  for (const secret of secrets.filter((value) => value.trim().length >= 16)) expect(typed.message).not.toContain(secret);
}

/** The body with one byte changed. */
function withOneByteChanged(body: Uint8Array, index: number, xor: number): Uint8Array {
  const changed = Uint8Array.from(body);
  const position = index % changed.length;
  changed[position] = (changed[position] ?? 0) ^ xor;
  return changed;
}

/** How each provider writes the bytes it authenticates with, after any `Basic `/`sha256=` prefix. */
const SIGNATURE_ENCODING: Readonly<Record<string, 'base64' | 'hex'>> = { 'qiscus-omnichannel': 'base64', 'qiscus-sdk': 'hex', qikchat: 'base64', chatzuri: 'hex' };

/** Lower-case hex with some of its letters in upper case: never all of them, never none (given two letters). */
function mixedCase(hex: string, upper: Iterator<boolean>): string {
  const mixed = hex.replace(/[a-f]/g, (digit) => (upper.next().value === true ? digit.toUpperCase() : digit));
  if (mixed !== hex && mixed !== hex.toUpperCase()) return mixed;
  // All or none changed: only the first letter in the other case.
  return mixed.replace(/[a-fA-F]/, (digit) => (digit === digit.toLowerCase() ? digit.toUpperCase() : digit.toLowerCase()));
}

/**
 * Every other spelling of the same bytes (issue 22, point 5): base64 with the spare bits of its last character set
 * (3 or 15 of them), hex in mixed case; and the spellings that are canonical too (hex in upper case).
 */
function spellingsOf(encoding: 'base64' | 'hex', text: string, upper: Iterator<boolean>): { readonly canonical: readonly string[]; readonly others: readonly string[] } {
  if (encoding === 'base64') return { canonical: [text], others: base64Spellings(text).slice(1) };
  return { canonical: [text, text.toUpperCase()], others: [mixedCase(text, upper)] };
}

it('knows the signature encoding of every provider', () => {
  expect(Object.keys(SIGNATURE_ENCODING).sort()).toEqual(providers.map((provider) => provider.slug).sort());
});

describe.each(providers.map((provider) => [provider.slug, provider] as const))('verify (%s), properties', (_slug, provider) => {
  it('accepts the signature only in its canonical spelling: every other spelling of the same bytes is refused', () => {
    const encoding = SIGNATURE_ENCODING[provider.slug] ?? 'hex';
    fc.assert(
      fc.property(anyBody, usableSecret, fc.infiniteStream(fc.boolean()), (body, secret, upper) => {
        // Prepare: the header as signed, split into its prefix and the encoded bytes
        const [name = '', value = ''] = Object.entries(signDelivery(provider, body, secret))[0] ?? [];
        const [, prefix = '', text = ''] = /^(Basic |sha256=)?(.*)$/su.exec(value) ?? [];
        const { canonical, others } = spellingsOf(encoding, text, upper);
        fc.pre(others.length > 0 && text.length > 0);
        const outcome = (spelling: string) => verifyOutcome(provider, delivery(body, { [name]: `${prefix}${spelling}` }), [secret]);
        // Act
        const accepted = canonical.map(outcome);
        const refused = others.map(outcome);
        // Assess: the others are the same bytes to a lenient decoder, and refused
        for (const spelling of others) expect(Buffer.from(spelling, encoding).equals(Buffer.from(text, encoding))).toBe(true);
        expect(accepted).toEqual(canonical.map(() => ({ verified: true })));
        for (const result of refused) {
          expect(result.verified).toBe(false);
          if (!result.verified) expect(result.error).toBeInstanceOf(SignatureMismatchError);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns or throws a typed verification error for any bytes, headers and secrets', () => {
    fc.assert(
      fc.property(anyBody, anyHeaders, anySecrets, (body, headers, secrets) => {
        // Act
        const outcome = verifyOutcome(provider, delivery(body, headers), secrets);
        // Assess
        if (!outcome.verified) assertTypedRejection(outcome.error, secrets);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('returns or throws a typed error when the real signature headers are there among random ones', () => {
    fc.assert(
      fc.property(
        anyBody,
        usableSecret,
        fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
        anySecrets,
        (body, secret, noise, otherSecrets) => {
          // Prepare: the real headers, then noise that may repeat them in another case or blank them
          const headers = { ...signDelivery(provider, body, secret), ...Object.fromEntries(noise) };
          // Act
          const outcome = verifyOutcome(provider, delivery(body, headers), [...otherSecrets, secret]);
          // Assess
          if (!outcome.verified) assertTypedRejection(outcome.error, [...otherSecrets, secret]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('fails closed: no usable secret rejects any delivery with NoSecretConfiguredError', () => {
    fc.assert(
      fc.property(anyBody, anyHeaders, fc.array(fc.constantFrom('', ' ', '\t', '\n  '), { maxLength: 3 }), (body, headers, secrets) => {
        // Act
        const outcome = verifyOutcome(provider, delivery(body, headers), secrets);
        // Assess
        expect(outcome.verified).toBe(false);
        if (!outcome.verified) expect(outcome.error).toBeInstanceOf(NoSecretConfiguredError);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('accepts any body signed with any accepted secret, current or previous', () => {
    fc.assert(
      fc.property(anyBody, usableSecret, usableSecret, fc.boolean(), (body, current, previous, signedWithPrevious) => {
        // Prepare
        const headers = signDelivery(provider, body, signedWithPrevious ? previous : current);
        // Act
        const outcome = verifyOutcome(provider, delivery(body, headers), [current, previous]);
        // Assess
        expect(outcome).toEqual({ verified: true });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('accepts the signature headers in any letter case', () => {
    fc.assert(
      fc.property(anyBody, usableSecret, fc.infiniteStream(fc.boolean()), (body, secret, upper) => {
        // Prepare
        const headers = Object.fromEntries(
          Object.entries(signDelivery(provider, body, secret)).map(([name, value]) => [
            name.replace(/./gsu, (char) => (upper.next().value ? char.toUpperCase() : char.toLowerCase())),
            value,
          ]),
        );
        // Act
        const outcome = verifyOutcome(provider, delivery(body, headers), [secret]);
        // Assess
        expect(outcome).toEqual({ verified: true });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  if (provider.slug === 'qikchat') {
    it('still accepts a changed body: Basic credentials do not cover the body (TLS protects it)', () => {
      fc.assert(
        fc.property(anyBody.filter((body) => body.length > 0), usableSecret, fc.nat(), fc.integer({ min: 1, max: 255 }), (body, secret, index, xor) => {
          // Prepare
          const headers = signDelivery(provider, body, secret);
          // Act
          const outcome = verifyOutcome(provider, delivery(withOneByteChanged(body, index, xor), headers), [secret]);
          // Assess
          expect(outcome).toEqual({ verified: true });
        }),
        { numRuns: NUM_RUNS },
      );
    });
  } else {
    it('rejects the body with any one byte changed as a signature mismatch', () => {
      fc.assert(
        fc.property(anyBody.filter((body) => body.length > 0), usableSecret, fc.nat(), fc.integer({ min: 1, max: 255 }), (body, secret, index, xor) => {
          // Prepare
          const headers = signDelivery(provider, body, secret);
          const changed = withOneByteChanged(body, index, xor);
          // Act
          const outcome = verifyOutcome(provider, delivery(changed, headers), [secret]);
          // Assess
          if (outcome.verified) {
            // Chatzuri also accepts the SHA-1 of the compact re-serialisation (its own sample code signs that),
            // so a change that leaves the parsed JSON the same (`\u001f` → `\u001F`) still verifies: allowed
            // only there, and only when the content is really unchanged.
            expect(provider.slug).toBe('chatzuri');
            const [before, after] = [parseBody(body), parseBody(changed)];
            expect(after.kind).toBe('json');
            expect(before.kind === 'json' && after.kind === 'json' && JSON.stringify(after.value) === JSON.stringify(before.value)).toBe(true);
          } else {
            expect(outcome.error).toBeInstanceOf(SignatureMismatchError);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }
});
