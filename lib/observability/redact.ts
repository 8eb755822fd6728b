/**
 * The one redaction rule, used wherever the gateway shows what it received: the archive (`lib/archive/`), every
 * log line (`json-logger.ts`, `powertools.ts`, the local runtime's log) and the local console (headers, body, path).
 * The gateway never logs headers or secrets itself; this is the net under that rule for what a handler might log
 * (a user's `logger.debug(event)`) and for the credentials providers put inside their payloads (Qiscus sends an
 * agent's `authentication_token`, `sdk_key` and `qismo_key` in the agent-allocation webhook). Browser-safe: the
 * console page's bundle includes it.
 *
 * A value is redacted when its NAME is a credential's (see {@link isCredentialName}), wherever the name stands: an
 * object key at any depth, a key inside JSON carried in a string, a `name=value` pair of a query string (`?token=`),
 * a header name. The value becomes {@link REDACTED} whatever its type; `null` stays `null`.
 */
import { isRawJsonNumber } from '../providers/kit/exact-json.js';

/** The mark left where a value was redacted. */
export const REDACTED = '[REDACTED]';

/**
 * Names whose compact spelling (lower case, every character but `a-z 0-9` dropped) ends in a credential word, then
 * optionally `s` or `key`/`keys`, then digits: `authentication_token`, `authenticationToken`, `Authentication-Token`,
 * `secret_key`, `qiscus-signature-key`, `x-hub-signature-256`. `key` alone counts only after a word that makes it a
 * credential (`apikey`, `sdk_key`, `x-webhook-key`); other `…key` names go by {@link LAST_WORD}.
 */
const CREDENTIAL_ENDING =
  /(?:(?:token|secret|password|passwd|pwd|passphrase|credential|signature|authorization|cookie)(?:s|keys?)?|xauth|(?:api|auth|sdk|qismo|private|access|client|app|webhook|signing|master|pass|session)keys?)\d*$/;

/** `key`, `keys` or `auth` as the name's last word (any case), trailing digits and separators aside. */
const LAST_WORD = /(?:[Kk][Ee][Yy][Ss]?|[Aa][Uu][Tt][Hh])(?=[^A-Za-z]*$)/;

const isUpper = (char: string | undefined): boolean => char !== undefined && char >= 'A' && char <= 'Z';
const isLower = (char: string | undefined): boolean => char !== undefined && char >= 'a' && char <= 'z';
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/**
 * Whether `key`/`keys`/`auth` ends the name as a word of its own: after a separator (`api_key`, `X-Auth`), after a
 * lower-case letter or digit as a capitalised word (`apiKey`, `sdkKEY`), or after an acronym (`APIKey`, `XAuth`).
 * `key` alone is no credential (Qiscus `user_properties` are `{ "key": "Address", "value": … }` pairs); `auth` alone is.
 */
function endsWithCredentialWord(name: string): boolean {
  const match = LAST_WORD.exec(name);
  if (match === null) return false;
  const start = match.index;
  if (start === 0) return name[0] === 'a' || name[0] === 'A';
  const before = name[start - 1];
  const first = name[start];
  if (!isUpper(before) && !isLower(before) && !isDigit(before)) return true;
  if (isUpper(first)) return isLower(before) || isDigit(before) || isLower(name[start + 1]);
  return false;
}

// Names repeat (log keys, payload fields), so their verdict is kept; bounded, since payloads choose them.
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 2_000;

/**
 * Whether a name (an object key, a header, a query parameter) holds a credential. Case and style do not matter
 * (snake, camel, kebab, upper case, dots): the name's compact spelling (lower case, only `a-z 0-9`) ends in `token`,
 * `secret`, `password`, `passwd`, `pwd`, `passphrase`, `credential`, `signature`, `authorization` or `cookie`
 * (optionally followed by `s`, `key` or `keys`), in `xauth`, or in `key`/`keys` after `api`, `auth`, `sdk`,
 * `qismo`, `private`, `access`, `client`, `app`, `webhook`, `signing`, `master`, `pass` or `session`, each optionally
 * followed by digits; or the name's last word, as spelled, is `key`, `keys` or `auth` (see
 * {@link endsWithCredentialWord}: `sort_key`, `publicKey`, `X-Auth`). Kept, for instance: `key` alone, `keyword`,
 * `monkey`, `anykey`, `key_count`, `token_type`, `is_token_expiring`, `sessionId` (Chatzuri's web visitor id, the
 * sender of its web messages), `is_new_session`, `author`, `oauth`.
 *
 * @example isCredentialName('Authentication_Token') // true
 * @example isCredentialName('x-webhook-key') // true
 * @example isCredentialName('keyword') // false
 */
export function isCredentialName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = CREDENTIAL_ENDING.test(name.toLowerCase().replace(/[^a-z0-9]+/g, '')) || endsWithCredentialWord(name);
    if (verdicts.size < MAX_VERDICTS) verdicts.set(name, verdict);
  }
  return verdict;
}

/** How many levels of JSON inside a string inside JSON are opened; deeper strings are only searched for query pairs. */
const MAX_TEXT_LEVELS = 8;

const LOOKS_LIKE_JSON = /^\s*[[{]/;

/**
 * Whether redacting `text` could change it: it holds a `=` (a `name=value` pair) or starts like a JSON object or
 * array. Cheap; for a caller that wants to skip the work on plain strings (log lines).
 */
export function textMayHoldCredentials(text: string): boolean {
  if (text.includes('=')) return true;
  // Its first character but white space (`LOOKS_LIKE_JSON` without a regular expression: this runs on every string
  // of every log line); a control character counts as white space here, which only sends more to the full check.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) return true;
    if (c > 0x20 && c !== 0xa0 && (c < 0x1680 || !/\s/.test(text.charAt(i)))) return false;
  }
  return false;
}

// `name=value` after the start, `?`, `&`, `#`, `;` or white space: a URL's query or fragment, a form body, a log message.
const PAIR = /(^|[?&#;\s])([^\s=&#;?]+)=([^&#;\s]*)/g;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return name;
  }
}

function redactPairs(text: string): string {
  return text.replace(PAIR, (pair: string, lead: string, name: string, value: string) =>
    value !== '' && isCredentialName(decodedName(name)) ? `${lead}${name}=${REDACTED}` : pair,
  );
}

/** The index of the quote closing the JSON string that opens at `start`. */
function stringEnd(json: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i;
    else i++;
  }
}

const LITERAL_END = new Set([0x20, 0x0a, 0x0d, 0x09, 0x2c, 0x5d, 0x7d]);

/** The index just past the JSON value (of valid JSON) that starts at `start`: a string, container or literal. */
function valueEnd(json: string, start: number): number {
  const first = json.charCodeAt(start);
  if (first === 0x22) return stringEnd(json, start) + 1;
  if (first !== 0x7b && first !== 0x5b) {
    // A number or `true`/`false`/`null`: up to the next delimiter.
    let i = start + 1;
    while (i < json.length && !LITERAL_END.has(json.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; ; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) i = stringEnd(json, i);
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
}

const REDACTED_JSON = JSON.stringify(REDACTED);

/**
 * Valid JSON text with every credential value replaced, written as received otherwise (whitespace, escapes, exact
 * numbers, a key sent twice): only the redacted values change. One pass, no recursion but into strings.
 */
function redactJsonText(json: string, level: number): string {
  const parts: string[] = [];
  let copied = 0;
  const replace = (start: number, end: number, text: string): void => {
    parts.push(json.slice(copied, start), text);
    copied = end;
  };
  const inObject: boolean[] = [];
  let expectKey = false;
  let credential = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a) continue;
    if (c === 0x2c) {
      expectKey = inObject.at(-1) === true;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      inObject.pop();
      continue;
    }
    if (c === 0x22 && expectKey) {
      const end = stringEnd(json, i);
      credential = isCredentialName(JSON.parse(json.slice(i, end + 1)) as string);
      expectKey = false;
      i = end;
      continue;
    }
    if (credential) {
      credential = false;
      const end = valueEnd(json, i);
      if (json.slice(i, end) !== 'null') replace(i, end, REDACTED_JSON);
      i = end - 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      inObject.push(c === 0x7b);
      expectKey = c === 0x7b;
      continue;
    }
    const end = valueEnd(json, i);
    if (c === 0x22) {
      const value = JSON.parse(json.slice(i, end)) as string;
      const redacted = redactTextAt(value, level + 1);
      if (redacted !== value) replace(i, end, JSON.stringify(redacted));
    }
    i = end - 1;
  }
  if (copied === 0) return json;
  parts.push(json.slice(copied));
  return parts.join('');
}

function redactTextAt(text: string, level: number): string {
  if (level < MAX_TEXT_LEVELS && LOOKS_LIKE_JSON.test(text)) {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    if (valid) return redactJsonText(text, level);
  }
  return text.includes('=') ? redactPairs(text) : text;
}

/**
 * A string with the credentials it carries redacted: in JSON (a string that is a JSON object or array: parsed,
 * redacted, and written back as it was but for the redacted values, so the string stays a string) and in
 * `name=value` pairs (`/callback?token=[REDACTED]&lang=id`). Anything else is returned as it is.
 *
 * @example redactText('{"sdk_key":"k","n":1}') // '{"sdk_key":"[REDACTED]","n":1}'
 * @example redactText('/webhooks/qikchat?token=abc') // '/webhooks/qikchat?token=[REDACTED]'
 */
export function redactText(text: string): string {
  return redactTextAt(text, 0);
}

function redactValueAt(value: unknown, level: number): unknown {
  if (typeof value === 'string') return redactTextAt(value, level);
  if (Array.isArray(value)) return value.map((item) => redactValueAt(item, level));
  // Exact numbers (`JSON.rawJSON`) are frozen objects written verbatim: kept as they are.
  if (value === null || typeof value !== 'object' || isRawJsonNumber(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key named `__proto__` is data here, as it was in the payload.
    Object.defineProperty(copy, key, {
      value: item !== null && item !== undefined && isCredentialName(key) ? REDACTED : redactValueAt(item, level),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * A copy of JSON-like data with every credential redacted, at any depth, in strings too ({@link redactText}); the
 * data itself is not changed. `null` stays `null`; exact numbers stay exact.
 *
 * @example redactValue({ candidate_agent: { sdk_key: 'k', direct_login_token: null } })
 * // { candidate_agent: { sdk_key: '[REDACTED]', direct_login_token: null } }
 */
export function redactValue(value: unknown): unknown {
  return redactValueAt(value, 0);
}

/**
 * A `JSON.stringify` replacer (Powertools Logger's `jsonReplacerFn`) applying the rule: a credential's value is
 * {@link REDACTED}, a string is {@link redactText}ed.
 */
export function redactSensitive(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (key !== '' && isCredentialName(key)) return REDACTED;
  return typeof value === 'string' ? redactText(value) : value;
}

const AUTH_SCHEME = /^(Basic|Bearer|Digest)\s/i;

/**
 * Headers as the console shows them: a credential header's value is {@link REDACTED} (an `Authorization` header
 * keeps its scheme, `Basic [REDACTED]`, which says what was sent without saying what it was); any other value is
 * {@link redactText}ed (a `Referer` with `?token=`).
 *
 * @example redactHeaders({ authorization: 'Basic dTpw', 'x-webhook-key': 'k' }) // { authorization: 'Basic [REDACTED]', 'x-webhook-key': '[REDACTED]' }
 */
export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!isCredentialName(name)) redacted[name] = redactText(value);
    else {
      const scheme = AUTH_SCHEME.exec(value)?.[1];
      redacted[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    }
  }
  return redacted;
}
