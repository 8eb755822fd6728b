import { describe, expect, it } from 'vitest';
import { MalformedSignatureError, MissingSignatureError } from '../../../lib/providers/kit/errors.js';
import { readSingleHeader } from '../../../lib/providers/kit/headers.js';
import type { Headers } from '../../../lib/events/delivery.js';

const NAME = 'X-Chatzuri-Signature';
const SIGNATURE = 'sha256=5d41402abc4b2a76b9719d911017c592';

function readOutcome(headers: Headers): string | Error {
  try {
    return readSingleHeader(headers, NAME);
  } catch (error) {
    return error as Error;
  }
}

describe('readSingleHeader', () => {
  it.each([
    ['lower case', 'x-chatzuri-signature'],
    ['the spelling asked for', 'X-Chatzuri-Signature'],
    ['upper case', 'X-CHATZURI-SIGNATURE'],
    ['mixed case', 'x-ChAtZuRi-SiGnAtUrE'],
  ])('finds the header sent in %s', (_name, sentAs) => {
    // Prepare
    const headers: Headers = { 'content-type': 'application/json', [sentAs]: SIGNATURE };
    // Act
    const value = readOutcome(headers);
    // Assess
    expect(value).toBe(SIGNATURE);
  });

  it('trims surrounding whitespace', () => {
    // Act
    const value = readOutcome({ 'x-chatzuri-signature': `  ${SIGNATURE}\t` });
    // Assess
    expect(value).toBe(SIGNATURE);
  });

  it('takes an array holding exactly one value (Node keeps some headers in arrays)', () => {
    // Act
    const value = readOutcome({ 'x-chatzuri-signature': [SIGNATURE] });
    // Assess
    expect(value).toBe(SIGNATURE);
  });

  it('ignores headers whose value is undefined', () => {
    // Act
    const value = readOutcome({ 'X-CHATZURI-SIGNATURE': undefined, 'x-chatzuri-signature': SIGNATURE });
    // Assess
    expect(value).toBe(SIGNATURE);
  });

  it.each<[string, Headers]>([
    ['as two keys in different case', { 'x-chatzuri-signature': SIGNATURE, 'X-Chatzuri-Signature': SIGNATURE }],
    ['as an array of two values', { 'x-chatzuri-signature': [SIGNATURE, 'sha256=00'] }],
    ['as an array of the same value twice', { 'x-chatzuri-signature': [SIGNATURE, SIGNATURE] }],
    ['as a key and an array', { 'x-chatzuri-signature': SIGNATURE, 'X-CHATZURI-SIGNATURE': ['sha256=00'] }],
    ['once blank and once set', { 'x-chatzuri-signature': '', 'X-Chatzuri-Signature': SIGNATURE }],
  ])('refuses the header sent twice, %s, as MalformedSignatureError', (_name, headers) => {
    // Act
    const outcome = readOutcome(headers);
    // Assess
    expect(outcome).toBeInstanceOf(MalformedSignatureError);
    expect((outcome as MalformedSignatureError).reason).toBe('malformed_signature');
    expect((outcome as Error).message).toContain(NAME);
  });

  it.each<[string, Headers]>([
    ['absent', { 'content-type': 'application/json' }],
    ['no headers at all', {}],
    ['empty', { 'x-chatzuri-signature': '' }],
    ['blank', { 'x-chatzuri-signature': ' \t ' }],
    ['undefined', { 'x-chatzuri-signature': undefined }],
    ['an empty array', { 'x-chatzuri-signature': [] }],
    ['an array of one blank value', { 'x-chatzuri-signature': ['  '] }],
    ['only under a similar name', { 'x-chatzuri-signature-256': SIGNATURE, 'chatzuri-signature': SIGNATURE }],
  ])('throws MissingSignatureError when the header is %s', (_name, headers) => {
    // Act
    const outcome = readOutcome(headers);
    // Assess
    expect(outcome).toBeInstanceOf(MissingSignatureError);
    expect((outcome as MissingSignatureError).reason).toBe('missing_signature');
  });

  it('does not read inherited properties of the headers object', () => {
    // Prepare: a name that every plain object inherits
    const headers: Headers = { 'content-type': 'application/json' };
    // Act
    const outcome = (() => {
      try {
        return readSingleHeader(headers, 'constructor');
      } catch (error) {
        return error;
      }
    })();
    // Assess
    expect(outcome).toBeInstanceOf(MissingSignatureError);
  });
});
