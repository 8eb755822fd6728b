import { describe, expect, it } from 'vitest';
import { isRawJsonNumber, parseFaithfulJson, parseJsonExactly } from '../../../lib/providers/kit/exact-json.js';

describe('parseJsonExactly', () => {
  it('keeps a number a double cannot hold as its text, and marks the parse unfaithful', () => {
    // Act
    const parsed = parseJsonExactly('{"id":9007199254740993,"n":[1e400]}');
    // Assess
    const value = parsed.value as { id: unknown; n: unknown[] };
    expect(isRawJsonNumber(value.id) && value.id.rawJSON).toBe('9007199254740993');
    expect(parsed.readable).toEqual({ id: '9007199254740993', n: ['1e400'] });
    expect(parsed.faithful).toBe(false);
  });

  it('gives JSON.parse\'s own value, once, when every number is faithful', () => {
    // Act
    const parsed = parseJsonExactly('{"id":1523,"score":4.0,"big":1e21}');
    // Assess
    expect(parsed).toEqual({ value: { id: 1523, score: 4, big: 1e21 }, readable: { id: 1523, score: 4, big: 1e21 }, faithful: true });
    expect(parsed.readable).toBe(parsed.value);
  });
});

describe('parseFaithfulJson', () => {
  it.each([
    ['an integer past 2^53', '{"a":[{"b":9007199254740993}]}'],
    ['a number beyond a double\'s range', '[1,2,1e400]'],
    ['more digits than a double keeps', '0.1000000000000000000001'],
  ])('gives undefined for JSON with %s', (_name, text) => {
    // Act
    const value = parseFaithfulJson(text);
    // Assess
    expect(value).toBeUndefined();
  });

  it('gives what JSON.parse gives when every number is faithful, whatever their spelling', () => {
    // Prepare
    const text = '{"a":[17841452998012344,4.50,1E2,-0],"__proto__":{"b":"9007199254740993"}}';
    // Act
    const value = parseFaithfulJson(text);
    // Assess
    expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('throws a SyntaxError for text that is not JSON', () => {
    // Act
    const act = (): unknown => parseFaithfulJson('{"a":1e400');
    // Assess
    expect(act).toThrow(SyntaxError);
  });
});
