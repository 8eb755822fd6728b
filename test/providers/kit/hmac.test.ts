import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { NoSecretConfiguredError, SignatureMismatchError } from '../../../lib/providers/kit/errors.js';
import { base64Spellings } from '../base64-spellings.js';
import { anySecretMatches, bytesEqual, decodeSignature, hmacMatches, hmacSign, usableSecrets, verifyHmac, type HmacCheck } from '../../../lib/providers/kit/hmac.js';

// A pass-through spy, to count how many secrets verification tries.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});

// Expected values computed with openssl, not with the code under test:
//   printf '%s' 'The quick brown fox jumps over the lazy dog' | openssl dgst -sha256 -hmac key -r
//   ... | openssl dgst -sha256 -hmac key -binary | openssl base64 -A      (and -sha1, and -hmac previous-key)
const PAYLOAD = Buffer.from('The quick brown fox jumps over the lazy dog', 'utf8');
const KEY = 'key';
const PREVIOUS_KEY = 'previous-key';
const SHA256_HEX = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
const SHA256_BASE64 = '97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=';
const SHA1_HEX = 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9';
const SHA1_BASE64 = '3nybhbi3iqa8ino29wqQcBydtNk=';
const PREVIOUS_SHA256_HEX = '72c407f6b62c716cae66abb044f5728d32d584d91ef3f7eb3b51cc9b80cb90b8';
const PREVIOUS_SHA256_BASE64 = 'csQH9rYscWyuZquwRPVyjTLVhNke8/frO1HMm4DLkLg=';

function checkFactory(overrides: Partial<HmacCheck> = {}): HmacCheck {
  return {
    provider: 'test-provider',
    header: 'x-test-signature',
    algorithm: 'sha256',
    encoding: 'hex',
    signature: SHA256_HEX,
    secrets: [KEY],
    payload: PAYLOAD,
    ...overrides,
  };
}

describe('decodeSignature', () => {
  it.each([
    ['lower-case hex', SHA256_HEX],
    ['upper-case hex', SHA256_HEX.toUpperCase()],
  ])('decodes %s', (_name, value) => {
    // Act
    const decoded = decodeSignature(value, 'hex');
    // Assess
    expect(decoded?.toString('hex')).toBe(SHA256_HEX);
  });

  it.each([
    ['an odd number of digits', SHA256_HEX.slice(1)],
    ['a non-hex character', `${SHA256_HEX.slice(0, -2)}zz`],
    ['a 0x prefix', `0x${SHA256_HEX}`],
    ['surrounding space', ` ${SHA256_HEX}`],
    ['base64', SHA256_BASE64],
    ['nothing', ''],
  ])('refuses hex with %s, rather than decoding a shorter prefix', (_name, value) => {
    // Act
    const decoded = decodeSignature(value, 'hex');
    // Assess
    expect(decoded).toBeUndefined();
  });

  it('decodes padded base64', () => {
    // Act
    const decoded = decodeSignature(SHA256_BASE64, 'base64');
    // Assess
    expect(decoded?.toString('hex')).toBe(SHA256_HEX);
  });

  it.each([
    ['no padding', SHA256_BASE64.replace(/=+$/, '')],
    ['the URL-safe alphabet', 'a-b_'],
    ['padding in the middle', 'AA==AA=='],
    ['three padding characters', 'A==='],
    ['only padding', '===='],
    ['a space inside', '97yD 9DBT'],
    ['nothing', ''],
  ])('refuses base64 with %s', (_name, value) => {
    // Act
    const decoded = decodeSignature(value, 'base64');
    // Assess
    expect(decoded).toBeUndefined();
  });

  // Issue 22, point 5: the spare bits of the last character before the padding encode nothing.
  it.each([
    ['`=` (2 spare bits: 3 other spellings)', SHA256_BASE64, 4],
    ['`==` (4 spare bits: 15 other spellings)', Buffer.from('user:passw').toString('base64'), 16],
  ])('decodes only the canonical spelling of base64 ending in %s', (_name, canonical, spellings) => {
    // Prepare
    const [first, ...others] = base64Spellings(canonical);
    // Act
    const decoded = decodeSignature(canonical, 'base64');
    const otherwise = others.map((spelling) => decodeSignature(spelling, 'base64'));
    // Assess: the others are the same bytes to a lenient decoder, and refused here
    expect(first).toBe(canonical);
    expect(others).toHaveLength(spellings - 1);
    for (const spelling of others) expect(Buffer.from(spelling, 'base64').equals(Buffer.from(canonical, 'base64'))).toBe(true);
    expect(decoded?.toString('base64')).toBe(canonical);
    expect(otherwise).toEqual(others.map(() => undefined));
  });

  it.each([
    ['one digit in the other case', `${SHA256_HEX.slice(0, 2)}${SHA256_HEX.charAt(2).toUpperCase()}${SHA256_HEX.slice(3)}`],
    ['upper case but for one digit', SHA256_HEX.toUpperCase().replace(/[A-F](?=[^A-F]*$)/, (digit) => digit.toLowerCase())],
  ])('refuses hex in mixed case (%s): lower or upper case, one spelling each', (_name, value) => {
    // Act
    const decoded = decodeSignature(value, 'hex');
    // Assess
    expect(value.toLowerCase()).toBe(SHA256_HEX);
    expect(decoded).toBeUndefined();
  });

  it('decodes a hex string given where base64 is expected to other bytes, of the wrong length', () => {
    // Prepare: every hex digit is also a base64 character, so this one decodes, but to 48 bytes, not 32
    const hexAsBase64 = SHA256_HEX;
    // Act
    const decoded = decodeSignature(hexAsBase64, 'base64');
    // Assess
    expect(decoded?.length).toBe(48);
  });
});

describe('bytesEqual', () => {
  it('compares views with a non-zero byteOffset by their own bytes, not from the start of their buffer', () => {
    // Prepare: two views into larger buffers, at different offsets, whose surroundings differ
    const a = Buffer.from('xxxxSIGNATUREyy', 'utf8').subarray(4, 13);
    const backing = new Uint8Array(32).fill(0x41);
    backing.set(Buffer.from('SIGNATURE', 'utf8'), 17);
    const b = backing.subarray(17, 26);
    // Act
    const equal = bytesEqual(a, b);
    // Assess
    expect(a.byteOffset).not.toBe(0);
    expect(b.byteOffset).toBe(17);
    expect(equal).toBe(true);
  });

  it('tells apart views with a non-zero byteOffset that differ only in their own bytes', () => {
    // Prepare: the same surroundings; the views differ in their last byte
    const a = Buffer.from('..SIGNATURE..', 'utf8').subarray(2, 11);
    const b = Buffer.from('..SIGNATURX..', 'utf8').subarray(2, 11);
    // Act
    const equal = bytesEqual(a, b);
    // Assess
    expect(equal).toBe(false);
  });

  it('returns false for different lengths instead of throwing like timingSafeEqual', () => {
    // Prepare
    const [a, b] = [Buffer.from('abc'), Buffer.from('abcd')];
    // Act
    const equal = bytesEqual(a, b);
    // Assess
    expect(equal).toBe(false);
  });

  it('finds two empty byte strings equal', () => {
    // Act
    const equal = bytesEqual(new Uint8Array(0), Buffer.alloc(0));
    // Assess
    expect(equal).toBe(true);
  });
});

describe('usableSecrets', () => {
  it('drops empty and whitespace-only secrets, keeps the order and the others exactly as configured', () => {
    // Act
    const usable = usableSecrets('test-provider', ['', ' current ', '  ', '\t\n', 'previous']);
    // Assess
    expect(usable).toEqual([' current ', 'previous']);
  });

  it.each([
    ['no secret', []],
    ['only an empty string', ['']],
    ['only blank strings', [' ', '\t', '\r\n']],
  ])('fails closed with %s', (_name, secrets) => {
    // Act
    const act = () => usableSecrets('test-provider', secrets);
    // Assess
    expect(act).toThrow(NoSecretConfiguredError);
    expect(act).toThrow(/test-provider/);
  });
});

describe('hmacMatches', () => {
  it.each([
    ['sha256', 'hex', SHA256_HEX],
    ['sha256', 'hex', SHA256_HEX.toUpperCase()],
    ['sha256', 'base64', SHA256_BASE64],
    ['sha1', 'hex', SHA1_HEX],
    ['sha1', 'base64', SHA1_BASE64],
  ] as const)('matches the openssl HMAC-%s in %s (%s)', (algorithm, encoding, signature) => {
    // Act
    const matched = hmacMatches({ algorithm, encoding, signature, secrets: [KEY], payload: PAYLOAD });
    // Assess
    expect(matched).toBe(true);
  });

  it.each([
    ['a wrong secret', { secrets: ['not-the-key'] }],
    ['one changed payload byte', { payload: Buffer.from('The quick brown fox jumps over the lazy cog') }],
    ['one changed signature digit', { signature: `${SHA256_HEX.slice(0, -1)}9` }],
    ['a SHA-1 value where SHA-256 is expected', { signature: SHA1_HEX }],
    ['base64 where hex is expected', { signature: SHA256_BASE64 }],
    ['hex where base64 is expected', { encoding: 'base64' as const }],
    ['a truncated signature', { signature: SHA256_HEX.slice(0, 32) }],
  ])('does not match with %s, and does not throw', (_name, overrides) => {
    // Prepare
    const check = checkFactory(overrides);
    // Act
    const matched = hmacMatches(check);
    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    ['the current secret', SHA256_HEX],
    ['the previous secret', PREVIOUS_SHA256_HEX],
  ])('accepts a signature made with %s (rotation)', (_name, signature) => {
    // Act
    const matched = hmacMatches(checkFactory({ signature, secrets: [KEY, PREVIOUS_KEY] }));
    // Assess
    expect(matched).toBe(true);
  });

  it('tries every secret even after the first matches, so timing does not tell which one signed', () => {
    // Prepare
    const createHmac = vi.mocked(crypto.createHmac);
    createHmac.mockClear();
    // Act
    const matched = hmacMatches(checkFactory({ signature: SHA256_HEX, secrets: [KEY, PREVIOUS_KEY, 'third-key'] }));
    // Assess
    expect(matched).toBe(true);
    expect(createHmac).toHaveBeenCalledTimes(3);
    expect(createHmac.mock.calls.map(([, secret]) => secret)).toEqual([KEY, PREVIOUS_KEY, 'third-key']);
  });
});

describe('anySecretMatches', () => {
  it('asks for every secret even when the first matches, and says whether any did', () => {
    // Prepare
    const asked: string[] = [];
    const expectedOf = (secret: string): Uint8Array => {
      asked.push(secret);
      return Buffer.from(secret, 'utf8');
    };
    // Act
    const first = anySecretMatches(['a', 'b', 'c'], Buffer.from('a'), expectedOf);
    const none = anySecretMatches(['a', 'b'], Buffer.from('z'), expectedOf);
    // Assess
    expect(first).toBe(true);
    expect(none).toBe(false);
    expect(asked).toEqual(['a', 'b', 'c', 'a', 'b']);
  });
});

describe('verifyHmac', () => {
  it('returns for a signature made with any accepted secret', () => {
    // Prepare
    const check = checkFactory({ encoding: 'base64', signature: PREVIOUS_SHA256_BASE64, secrets: [KEY, PREVIOUS_KEY] });
    // Act
    const act = () => verifyHmac(check);
    // Assess
    expect(act).not.toThrow();
  });

  it('throws SignatureMismatchError naming the header, never the secret or the expected value', () => {
    // Prepare
    const check = checkFactory({ secrets: ['a-long-current-secret-value'], signature: SHA256_HEX });
    // Act
    let error: unknown;
    try {
      verifyHmac(check);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(SignatureMismatchError);
    expect((error as SignatureMismatchError).reason).toBe('signature_mismatch');
    expect((error as Error).message).toContain('x-test-signature');
    expect((error as Error).message).not.toContain('a-long-current-secret-value');
  });

  it('throws SignatureMismatchError for a value in the wrong encoding, never a decoding error', () => {
    // Prepare
    const check = checkFactory({ signature: 'not hex at all!' });
    // Act
    const act = () => verifyHmac(check);
    // Assess
    expect(act).toThrow(SignatureMismatchError);
  });

  it.each([
    ['an empty secret list', []],
    ['only blank secrets', ['', '   ']],
  ])('fails closed with %s, even for a signature made with the empty key', (_name, secrets) => {
    // Prepare: HMAC-SHA256 of the payload under the empty key, which anyone can compute
    const check = checkFactory({ secrets, signature: crypto.createHmac('sha256', '').update(PAYLOAD).digest('hex') });
    // Act
    const act = () => verifyHmac(check);
    // Assess
    expect(act).toThrow(NoSecretConfiguredError);
  });
});

describe('hmacSign', () => {
  it.each([
    ['sha256', 'hex', SHA256_HEX],
    ['sha256', 'base64', SHA256_BASE64],
    ['sha1', 'hex', SHA1_HEX],
  ] as const)('signs like openssl: HMAC-%s in %s', (algorithm, encoding, expected) => {
    // Act
    const signature = hmacSign(algorithm, encoding, KEY, PAYLOAD);
    // Assess
    expect(signature).toBe(expected);
  });
});
