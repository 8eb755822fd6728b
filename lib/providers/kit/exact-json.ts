/**
 * JSON parsing that loses no number. `JSON.parse` reads every number into a double: `1e400` becomes
 * `Infinity` (written back as `null`), a 30-digit integer loses its last digits, and two ids past 2^53 can
 * become one. Node 24 gives a reviver each number's source text and lets `JSON.stringify` write a
 * `JSON.rawJSON` value verbatim; both are used here, and only when the text holds a number that needs them.
 */

/** A value `JSON.stringify` writes as its `rawJSON` text, verbatim (Node 24's `JSON.rawJSON`). */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

/** What Node 24 adds to `JSON` and TypeScript's ES2024 library does not describe yet. */
interface JsonWithSourceText {
  rawJSON(text: string): RawJsonNumber;
  isRawJSON(value: unknown): value is RawJsonNumber;
  parse(text: string, reviver: (key: string, value: unknown, context?: { readonly source?: string }) => unknown): unknown;
}
const NodeJson = JSON as unknown as JsonWithSourceText;

/** Whether a value is a number kept as its source text (see {@link parseJsonExactly}). */
export function isRawJsonNumber(value: unknown): value is RawJsonNumber {
  return NodeJson.isRawJSON(value);
}

/**
 * Whether the text may hold a number a double does not write back as sent: a number token (after `:`, `,`,
 * `[` or at the start) with 16 or more digits, or an exponent. Any number without either is a safe integer
 * or has at most 15 significant digits, which a double always writes back with the same value. Strings
 * that look alike only cost the slower parse.
 */
const MAY_HOLD_UNFAITHFUL_NUMBER = /(?:^|[:,[])\s*-?\d(?:[\d.]{15}|[\d.]*[eE])/;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A number's decimal value in one canonical spelling (`<sign><digits>e<exponent>`), or undefined if no number. */
function canonicalDecimal(text: string): string | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const significant = `${whole}${fraction}`.replace(/^0+/, '');
  if (significant === '') return '0';
  const digits = significant.replace(/0+$/, '');
  const scale = BigInt(exponent) - BigInt(fraction.length) + BigInt(significant.length - digits.length);
  return `${sign}${digits}e${scale}`;
}

/**
 * Whether the double read from `source` stands for it faithfully. An integer must be written back digit for
 * digit (`-0` aside), so ids past 2^53 and integers from 10^21 up (which JavaScript writes with an exponent)
 * keep their text; any other number only needs the same value (`4.0`, `1e2`), not the same spelling.
 */
function isFaithful(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const written = String(value);
  if (written === source) return true;
  if (INTEGER.test(source)) return value === 0;
  const canonical = canonicalDecimal(written);
  return canonical !== undefined && canonical === canonicalDecimal(source);
}

/** The same value with every {@link RawJsonNumber} replaced by its text; nesting is bounded by the caller. */
function withNumbersAsText(value: unknown): unknown {
  if (isRawJsonNumber(value)) return value.rawJSON;
  if (Array.isArray(value)) return value.map(withNumbersAsText);
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a `__proto__` key stays a key, as JSON.parse makes it.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withNumbersAsText(item)]));
  }
  return value;
}

/** A JSON text parsed with every number kept. */
export interface ExactJson {
  /**
   * The value, with each number a double does not hold faithfully as a {@link RawJsonNumber} of its source
   * text, so `JSON.stringify` writes it exactly as received. Every other number is a plain number.
   */
  readonly value: unknown;
  /**
   * The same value for reading fields: those numbers as strings of their source text, so an id is read
   * digit for digit, never through a double. The same object as `value` when there are none.
   */
  readonly readable: unknown;
  /** True when every number is a plain number: `value` is then exactly what `JSON.parse` gives. */
  readonly faithful: boolean;
}

/** Thrown by the reviver to stop a parse at the first number that is not faithful. */
const NOT_FAITHFUL = new Error('not faithful');

/**
 * Parses JSON text whose every number a double holds faithfully, as `JSON.parse` does; undefined as soon as
 * one number is not, without parsing further (work spent on a body that is then refused stays small).
 *
 * @throws SyntaxError when the text is not JSON
 */
export function parseFaithfulJson(text: string): unknown {
  if (!MAY_HOLD_UNFAITHFUL_NUMBER.test(text)) return JSON.parse(text) as unknown;
  try {
    return NodeJson.parse(text, (_key, item, context) => {
      if (typeof item === 'number' && context?.source !== undefined && !isFaithful(context.source, item)) throw NOT_FAITHFUL;
      return item;
    });
  } catch (error) {
    if (error === NOT_FAITHFUL) return undefined;
    throw error;
  }
}

/**
 * Parses JSON text keeping every number exactly (see {@link ExactJson}). The reviver recurses, so callers
 * bound the nesting first, as {@link parseBody} does.
 *
 * @throws SyntaxError when the text is not JSON
 * @example
 * JSON.stringify(parseJsonExactly('{"id":123456789012345678901234567890}').value)
 * // '{"id":123456789012345678901234567890}'
 */
export function parseJsonExactly(text: string): ExactJson {
  if (!MAY_HOLD_UNFAITHFUL_NUMBER.test(text)) {
    const value = JSON.parse(text) as unknown;
    return { value, readable: value, faithful: true };
  }
  // A count, not a boolean: the reviver's assignment is invisible to the narrowing of the return below.
  let unfaithful = 0;
  const value = NodeJson.parse(text, (_key, item, context) => {
    if (typeof item !== 'number' || context?.source === undefined || isFaithful(context.source, item)) return item;
    unfaithful += 1;
    return NodeJson.rawJSON(context.source);
  });
  const faithful = unfaithful === 0;
  return { value, readable: faithful ? value : withNumbersAsText(value), faithful };
}
