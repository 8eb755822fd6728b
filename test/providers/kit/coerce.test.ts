import { describe, expect, it } from 'vitest';
import {
  asId,
  asIsoTime,
  asMeaningfulId,
  asRecord,
  asRecordOrJson,
  asText,
  participant,
} from '../../../lib/providers/kit/coerce.js';

describe('asId', () => {
  it.each([
    ['a string', 'abc-123', 'abc-123'],
    ['a number', 1523, '1523'],
    ['zero', 0, '0'],
    ['the string "0"', '0', '0'],
    ['a big integer', 12345678901234567890n, '12345678901234567890'],
    ['a string with spaces inside', ' a b ', ' a b '],
  ])('reads %s', (_name, value, expected) => {
    // Act
    const id = asId(value);
    // Assess
    expect(id).toBe(expected);
  });

  it.each([
    ['blank', '  '],
    ['empty', ''],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['undefined', undefined],
    ['an object', { id: 1 }],
    ['an array', ['1']],
    ['a boolean', true],
  ])('gives null for %s', (_name, value) => {
    // Act
    const id = asId(value);
    // Assess
    expect(id).toBeNull();
  });
});

describe('asMeaningfulId', () => {
  it.each([
    ['the number 0', 0],
    ['the string "0"', '0'],
    ['zeros', '000'],
    ['null', null],
  ])('treats %s as no id (Qiscus sends message id 0)', (_name, value) => {
    // Act
    const id = asMeaningfulId(value);
    // Assess
    expect(id).toBeNull();
  });

  it.each([
    [10, '10'],
    ['010', '010'],
    ['0a', '0a'],
  ])('keeps %s', (value, expected) => {
    // Act
    const id = asMeaningfulId(value);
    // Assess
    expect(id).toBe(expected);
  });
});

describe('asText', () => {
  it('keeps a non-blank string exactly, whitespace included', () => {
    // Act
    const text = asText('  hello ');
    // Assess
    expect(text).toBe('  hello ');
  });

  it.each([[''], [' \n\t'], [42], [null], [undefined], [{}]])('gives null for %j', (value) => {
    // Act
    const text = asText(value);
    // Assess
    expect(text).toBeNull();
  });
});

describe('asRecord and asRecordOrJson', () => {
  it('reads options sent as an object', () => {
    // Prepare
    const options = { channel: 'wa', extras: { a: 1 } };
    // Act
    const record = asRecordOrJson(options);
    // Assess
    expect(record).toBe(options);
  });

  it('reads options sent as a JSON string of an object (Qiscus room.options)', () => {
    // Act
    const record = asRecordOrJson('{"channel":"wa","is_resolved":false}');
    // Assess
    expect(record).toEqual({ channel: 'wa', is_resolved: false });
  });

  it.each([
    ['a JSON string of an array', '[1,2]'],
    ['a JSON string of a string', '"x"'],
    ['a JSON string of null', 'null'],
    ['a string that is not JSON', '{channel: wa}'],
    ['an empty string', ''],
    ['an array', [{ a: 1 }]],
    ['null', null],
    ['a number', 7],
  ])('gives undefined for %s', (_name, value) => {
    // Act
    const record = asRecordOrJson(value);
    // Assess
    expect(record).toBeUndefined();
  });

  it('does not parse strings when only an object is accepted', () => {
    // Act
    const record = asRecord('{"a":1}');
    // Assess
    expect(record).toBeUndefined();
  });
});

describe('asIsoTime', () => {
  it.each([
    ['an ISO time in UTC', '2024-05-14T10:00:00Z', '2024-05-14T10:00:00.000Z'],
    ['an ISO time with milliseconds', '2022-02-15T11:30:35.123Z', '2022-02-15T11:30:35.123Z'],
    ['an ISO time with an offset, in UTC', '2024-05-14T10:00:00+07:00', '2024-05-14T03:00:00.000Z'],
    ['a naive date-time (Qiscus), as UTC', '2019-02-04 04:49:47', '2019-02-04T04:49:47.000Z'],
    ['a naive date-time with T, as UTC', '2019-02-04T04:49:47', '2019-02-04T04:49:47.000Z'],
    ['a naive date-time without seconds, as UTC', '2019-02-04 04:49', '2019-02-04T04:49:00.000Z'],
    ['a naive date-time with fractions, as UTC', '2019-02-04 04:49:47.5', '2019-02-04T04:49:47.500Z'],
    ['epoch seconds', 1700000000, '2023-11-14T22:13:20.000Z'],
    ['epoch milliseconds', 1700000000123, '2023-11-14T22:13:20.123Z'],
    ['epoch seconds as a string', '1700000000', '2023-11-14T22:13:20.000Z'],
    ['epoch milliseconds as a padded string', ' 1700000000123 ', '2023-11-14T22:13:20.123Z'],
    ['fractional epoch seconds', 1669004379.25, '2022-11-21T04:19:39.250Z'],
    ['the first millisecond read as milliseconds', 1e12, '2001-09-09T01:46:40.000Z'],
    ['the last instant of year 9999', 253402300799999, '9999-12-31T23:59:59.999Z'],
    ['the last instant of year 9999, as a string', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s', (_name, value, expected) => {
    // Act
    const time = asIsoTime(value);
    // Assess
    expect(time).toBe(expected);
  });

  it.each([
    ['zero', 0],
    ['a negative number', -1700000000],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a time before 1970', '1969-12-31T23:59:59Z'],
    ['text', 'yesterday'],
    ['an empty string', ''],
    ['a blank string', '   '],
    ['null', null],
    ['a boolean', true],
    ['an object', { seconds: 1700000000 }],
  ])('gives undefined for %s', (_name, value) => {
    // Act
    const time = asIsoTime(value);
    // Assess
    expect(time).toBeUndefined();
  });

  // Regression: these were written as `+010000-...`/`+275760-...`, which is not RFC 3339, so the event failed
  // its own schema (`time`) and the JSON Schema's date-time format; they now fall back to the received time.
  it.each([
    ['the first instant of year 10000, in milliseconds', 253402300800000],
    ['the largest time Date can hold', 8.64e15],
    ['beyond what Date can hold', 8.64e15 + 1],
    ['epoch seconds just below the milliseconds threshold (year 33658)', 999_999_999_999],
    ['an epoch far beyond, as a string', '99999999999999999999'],
    ['an extended-year ISO string', '+010000-01-01T00:00:00Z'],
    ['the last time Date can hold, as a string', '+275760-09-13T00:00:00.000Z'],
  ])('gives undefined for a time after year 9999: %s', (_name, value) => {
    // Act
    const time = asIsoTime(value);
    // Assess
    expect(time).toBeUndefined();
  });
});

describe('participant', () => {
  it('fills every field the provider did not give with null', () => {
    // Act
    const person = participant({ id: '42', role: 'agent' });
    // Assess
    expect(person).toEqual({ id: '42', name: null, email: null, phone: null, role: 'agent' });
  });
});
