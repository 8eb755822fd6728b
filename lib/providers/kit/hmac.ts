import { createHmac, timingSafeEqual } from 'node:crypto';
import { NoSecretConfiguredError, SignatureMismatchError } from './errors.js';

export type HmacAlgorithm = 'sha1' | 'sha256';
export type SignatureEncoding = 'hex' | 'base64';

/**
 * Decodes a received signature strictly: only its canonical spelling, the one encoding the decoded bytes gives
 * back. `Buffer.from(value, 'hex')` silently stops at the first bad character, and base64 has spare bits: the
 * last character before `=` carries 2 (`=`) or 4 (`==`) bits that encode nothing, so 4 or 16 different texts
 * decode to the same bytes. Accepting those would make "one character changed" verify, and a lenient decode could
 * turn a wrong-encoding value into a shorter, different buffer; we refuse instead, and the caller treats that as a
 * mismatch. Hex is read in lower or upper case, not mixed (providers write one or the other). Comparing the
 * received text with its re-encoding involves no secret, so it need not be constant-time.
 */
export function decodeSignature(value: string, encoding: SignatureEncoding): Buffer | undefined {
  if (value === '') return undefined;
  const bytes = Buffer.from(value, encoding);
  const canonical = bytes.toString(encoding);
  if (value === canonical) return bytes;
  return encoding === 'hex' && value === canonical.toUpperCase() ? bytes : undefined;
}

/**
 * Compares two byte strings in constant time for their length. The length check first is what
 * `timingSafeEqual` requires; lengths are not secret (they follow from the algorithm).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Secrets worth trying: the configured list without blanks. An empty or whitespace-only string is no secret
 * (typically an unset variable or a stray newline in a secret store), and anyone could sign with it.
 * Non-blank secrets are used exactly as configured, surrounding whitespace included.
 *
 * @throws NoSecretConfiguredError when no secret is left (fail closed)
 */
export function usableSecrets(provider: string, secrets: readonly string[]): readonly string[] {
  const usable = secrets.filter((secret) => secret.trim() !== '');
  if (usable.length === 0) throw new NoSecretConfiguredError(provider);
  return usable;
}

export interface HmacCheck {
  /** Provider slug, for the error message. */
  readonly provider: string;
  /** Header the signature came from, for the error message. */
  readonly header: string;
  readonly algorithm: HmacAlgorithm;
  readonly encoding: SignatureEncoding;
  /** The signature as received (already stripped of any `sha256=`-style prefix). */
  readonly signature: string;
  /** Accepted secrets, current first; any of them may have signed. */
  readonly secrets: readonly string[];
  /** The bytes that were signed, exactly as received. */
  readonly payload: Uint8Array;
}

/**
 * True when what any secret leads to (its HMAC, its credentials...) equals the received bytes, compared in
 * constant time. Every secret is tried even after a match, so the time taken does not tell which one matched.
 *
 * @param secrets - accepted secrets, current first
 * @param received - the bytes the delivery carried
 * @param expectedOf - what a delivery made with this secret would carry
 */
export function anySecretMatches(
  secrets: readonly string[],
  received: Uint8Array,
  expectedOf: (secret: string) => Uint8Array,
): boolean {
  let matched = false;
  for (const secret of secrets) {
    if (bytesEqual(expectedOf(secret), received)) matched = true;
  }
  return matched;
}

/** True when any secret's HMAC of the payload equals the signature. Never throws for a bad signature. */
export function hmacMatches(check: Omit<HmacCheck, 'provider' | 'header'>): boolean {
  const received = decodeSignature(check.signature, check.encoding);
  if (received === undefined) return false;
  return anySecretMatches(check.secrets, received, (secret) => createHmac(check.algorithm, secret).update(check.payload).digest());
}

/**
 * Verifies an HMAC signature against a list of accepted secrets (rotation: current, previous).
 *
 * @throws NoSecretConfiguredError when no usable secret is configured (fail closed)
 * @throws SignatureMismatchError when no secret produces the signature, including a wrong encoding
 */
export function verifyHmac(check: HmacCheck): void {
  const secrets = usableSecrets(check.provider, check.secrets);
  if (!hmacMatches({ ...check, secrets })) throw new SignatureMismatchError(check.header);
}

/** Signs a payload the way a provider does; for tools that send test deliveries, never for verification. */
export function hmacSign(algorithm: HmacAlgorithm, encoding: SignatureEncoding, secret: string, payload: Uint8Array): string {
  return createHmac(algorithm, secret).update(payload).digest(encoding);
}
