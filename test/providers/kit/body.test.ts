import { describe, expect, it } from 'vitest';
import { MAXIMUM_JSON_DEPTH, parseBody } from '../../../lib/providers/kit/body.js';

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('parseBody', () => {
  it('parses a JSON object', () => {
    // Act
    const body = parseBody(utf8('{"type":"post_comment_mobile","payload":{"id":0}}'));
    // Assess
    expect(body).toEqual({ kind: 'json', value: { type: 'post_comment_mobile', payload: { id: 0 } }, readable: { type: 'post_comment_mobile', payload: { id: 0 } }, faithful: true });
  });

  it.each([
    ['an array', '[1,2]', [1, 2]],
    ['a string', '"hi"', 'hi'],
    ['a number', ' 42 ', 42],
    ['null', 'null', null],
    ['pretty-printed JSON', '{\n  "a": [\n    1\n  ]\n}\n', { a: [1] }],
    ['non-ASCII text', '{"name":"María 😀"}', { name: 'María 😀' }],
  ])('parses any JSON value: %s', (_name, text, value) => {
    // Act
    const body = parseBody(utf8(text));
    // Assess
    expect(body).toEqual({ kind: 'json', value, readable: value, faithful: true });
  });

  it('parses JSON after a UTF-8 byte order mark, which is not part of the text', () => {
    // Prepare
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"a":1}')]);
    // Act
    const body = parseBody(raw);
    // Assess
    expect(body).toEqual({ kind: 'json', value: { a: 1 }, readable: { a: 1 }, faithful: true });
  });

  it.each([
    ['plain text', 'hello world'],
    ['form data', 'a=1&b=2'],
    ['truncated JSON', '{"a":'],
    ['an empty body', ''],
    ['JSON with a trailing comma', '{"a":1,}'],
  ])('keeps %s that is not JSON as its text', (_name, text) => {
    // Act
    const body = parseBody(utf8(text));
    // Assess
    expect(body).toEqual({ kind: 'text', text, encoding: 'utf8' });
  });

  it('drops the byte order mark of a text body', () => {
    // Act
    const body = parseBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('hello')]));
    // Assess
    expect(body).toEqual({ kind: 'text', text: 'hello', encoding: 'utf8' });
  });

  it.each([
    ['a lone continuation byte', [0x7b, 0x80, 0x7d]],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['Latin-1 text', [0x63, 0x61, 0x66, 0xe9]],
    ['a UTF-16 byte order mark', [0xff, 0xfe, 0x7b, 0x00]],
  ])('keeps a body that is not valid UTF-8 (%s) as base64 of its exact bytes', (_name, bytes) => {
    // Prepare
    const raw = Uint8Array.from(bytes);
    // Act
    const body = parseBody(raw);
    // Assess
    expect(body).toEqual({ kind: 'text', text: Buffer.from(raw).toString('base64'), encoding: 'base64' });
    expect(Buffer.from(body.kind === 'text' ? body.text : '', 'base64')).toEqual(Buffer.from(raw));
  });

  it('reads a body given as a view into a larger buffer by its own bytes', () => {
    // Prepare
    const raw = utf8('xx{"a":1}yy').subarray(2, 9);
    // Act
    const body = parseBody(raw);
    // Assess
    expect(body).toEqual({ kind: 'json', value: { a: 1 }, readable: { a: 1 }, faithful: true });
  });

  it(`parses JSON nested exactly ${MAXIMUM_JSON_DEPTH} deep, and keeps deeper JSON as text`, () => {
    // Prepare
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    // Act
    const [atLimit, beyond] = [parseBody(utf8(nested(MAXIMUM_JSON_DEPTH))), parseBody(utf8(nested(MAXIMUM_JSON_DEPTH + 1)))];
    // Assess
    expect(atLimit.kind).toBe('json');
    expect(beyond).toEqual({ kind: 'text', text: nested(MAXIMUM_JSON_DEPTH + 1), encoding: 'utf8' });
  });

  it('does not count brackets inside strings, escaped quotes included, as nesting', () => {
    // Prepare
    const text = JSON.stringify({ text: `"\\${'['.repeat(MAXIMUM_JSON_DEPTH * 2)}` });
    // Act
    const body = parseBody(utf8(text));
    // Assess
    expect(body.kind).toBe('json');
  });

  it.each([
    ['an integer past 2^53', '9007199254740993'],
    ['a 30-digit integer', '123456789012345678901234567890'],
    ['an integer from 10^21 up', '1000000000000000000000'],
    ['a number beyond a double\'s range', '1e400'],
    ['a fraction with more digits than a double holds', '0.1000000000000000000001'],
    ['a number that underflows to zero', '2e-324'],
  ])('keeps %s exactly: written back as sent, read as its text', (_name, number) => {
    // Act
    const body = parseBody(utf8(`{"n":${number},"m":[${number}]}`));
    // Assess
    expect(body.kind === 'json' && JSON.stringify(body.value)).toBe(`{"n":${number},"m":[${number}]}`);
    expect(body).toMatchObject({ kind: 'json', readable: { n: number, m: [number] }, faithful: false });
  });

  it.each([
    ['a safe integer', '9007199254740991', 9007199254740991],
    ['an integer past 2^53 a double writes back digit for digit', '17841452998012344', 17841452998012344],
    ['a fraction with a trailing zero', '4.50', 4.5],
    ['an exponent', '1e2', 100],
    ['an exponent from 10^21 up', '1E21', 1e21],
    ['minus zero', '-0', -0],
  ])('reads %s, which a double holds faithfully, as a number', (_name, number, value) => {
    // Act
    const body = parseBody(utf8(`[${number}]`));
    // Assess
    expect(body).toEqual({ kind: 'json', value: [value], readable: [value], faithful: true });
  });

  it('keeps a `__proto__` key an own key when numbers are kept as text', () => {
    // Act
    const body = parseBody(utf8('{"__proto__":{"id":9007199254740993}}'));
    // Assess
    expect(body.kind === 'json' && Object.keys(body.readable as object)).toEqual(['__proto__']);
    expect(body.kind === 'json' && JSON.stringify(body.readable)).toBe('{"__proto__":{"id":"9007199254740993"}}');
  });

  it('keeps JSON nested far deeper than the limit as text, with a long number in it (the exact parse recurses)', () => {
    // Prepare
    const text = `${'['.repeat(100_000)}1e400${']'.repeat(100_000)}`;
    // Act
    const body = parseBody(utf8(text));
    // Assess
    expect(body).toEqual({ kind: 'text', text, encoding: 'utf8' });
  });
});
