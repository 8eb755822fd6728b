import { parseJsonExactly, type ExactJson } from './exact-json.js';

/**
 * The body of a delivery after decoding: JSON when it parses (every number kept, see {@link ExactJson}),
 * otherwise its text (or bytes, in base64).
 */
export type ParsedBody =
  | ({ readonly kind: 'json' } & ExactJson)
  | { readonly kind: 'text'; readonly text: string; readonly encoding: 'utf8' | 'base64' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Deepest JSON nesting handled as JSON. `JSON.parse` takes any depth, but `JSON.stringify` (the queue
 * message, the log line) recurses and overflows the stack at a few thousand levels. Real webhooks nest
 * about ten levels; deeper bodies are kept as text, which loses nothing.
 */
export const MAXIMUM_JSON_DEPTH = 128;

/** Whether the quote at `index` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * Whether JSON text nests arrays and objects deeper than `limit` (on text that is not JSON, a guess that
 * only decides which way it is kept as text). Linear, no recursion. Strings are
 * jumped over with `indexOf` (native, and most of a webhook's bytes are in strings) rather than read one
 * character at a time, which made this scan cost twice the `JSON.parse` of the same text.
 */
function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      let end = json.indexOf('"', i + 1);
      while (end !== -1 && isEscaped(json, end)) end = json.indexOf('"', end + 1);
      if (end === -1) return false;
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The body as text, a leading byte order mark dropped; undefined when it is not valid UTF-8. */
function decodeUtf8(raw: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(raw);
  } catch {
    return undefined;
  }
}

/**
 * Whether decoded text is worth parsing as JSON: not nested deeper than {@link MAXIMUM_JSON_DEPTH}. Measured
 * before any parse, in linear time: the exact parse's reviver recurses, so it must never meet deep nesting.
 */
function mayBeJson(text: string): boolean {
  return !nestsDeeperThan(text, MAXIMUM_JSON_DEPTH);
}

/**
 * The body's text when it may be JSON: valid UTF-8 nested at most {@link MAXIMUM_JSON_DEPTH} deep;
 * undefined otherwise. What {@link parseBody} parses, for a caller that parses it its own way.
 */
export function jsonCandidateText(raw: Uint8Array): string | undefined {
  const text = decodeUtf8(raw);
  return text !== undefined && mayBeJson(text) ? text : undefined;
}

/**
 * Decodes a raw body for normalisation. Nothing is lost: a body that is not valid UTF-8 is kept as
 * base64 rather than decoded with replacement characters, which would change its bytes; JSON nested
 * deeper than {@link MAXIMUM_JSON_DEPTH} is kept as its text; every number keeps its value or its digits.
 * The work is linear in the body's size: the nesting is measured before anything is parsed.
 */
export function parseBody(raw: Uint8Array): ParsedBody {
  const text = decodeUtf8(raw);
  if (text === undefined) return { kind: 'text', text: Buffer.from(raw).toString('base64'), encoding: 'base64' };
  if (!mayBeJson(text)) return { kind: 'text', text, encoding: 'utf8' };
  try {
    return { kind: 'json', ...parseJsonExactly(text) };
  } catch {
    return { kind: 'text', text, encoding: 'utf8' };
  }
}
