/**
 * fast-check arbitraries shared by the property tests: headers, secrets and bodies of every kind, from
 * random bytes to provider samples with some of their fields replaced by odd values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { Headers } from '../../lib/events/delivery.js';
import { devProvider, signDelivery } from '../../dev/providers.js';
import { isSampleFile } from '../../dev/local/samples.js';

// ---------------------------------------------------------------------------------------------------------
// Headers and secrets
// ---------------------------------------------------------------------------------------------------------

/** The header names a provider signs with, read from its signer in `dev/providers.ts` (so a fifth provider is covered too). */
function signatureHeaderNames(provider: ProviderDefinition): readonly string[] {
  return Object.keys(signDelivery(provider, new Uint8Array(), 'secret'));
}

/** Every provider's signature header names: each provider also gets the others' headers. */
const ALL_SIGNATURE_HEADER_NAMES: readonly string[] = [...new Set(providers.flatMap(signatureHeaderNames))];

const hexString = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((value) => Buffer.from(value).toString('hex'));
const base64String = (maxBytes: number) =>
  fc.uint8Array({ maxLength: maxBytes }).map((value) => Buffer.from(value).toString('base64'));

/** Header values that look like signatures or credentials, in the right and the wrong forms. */
const signatureLikeValue: fc.Arbitrary<string> = fc.oneof(
  hexString(20),
  hexString(32),
  hexString(32).map((hex) => hex.toUpperCase()),
  base64String(32),
  fc.tuple(fc.constantFrom('sha256=', 'SHA256=', 'sha1=', 'sha256= '), fc.oneof(hexString(32), hexString(20), fc.string())).map(
    ([prefix, value]) => `${prefix}${value}`,
  ),
  fc
    .tuple(fc.constantFrom('Basic ', 'basic ', 'BASIC  ', 'Bearer ', 'Basic', ''), fc.oneof(base64String(40), fc.string()))
    .map(([scheme, token]) => `${scheme}${token}`),
  fc.constantFrom('', ' ', '\t', '=', '==', 'sha256=', 'Basic ', 'Basic =', 'a,b', '0', 'null'),
);

/** Any header value the receivers could hand over: strings, arrays of them (Node), or undefined. */
export const headerValue: fc.Arbitrary<string | readonly string[] | undefined> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  signatureLikeValue,
  fc.array(fc.oneof(signatureLikeValue, fc.string({ maxLength: 20 })), { maxLength: 3 }),
  fc.constant(undefined),
);

/** A header name: a real signature header in random case, a common one, or anything at all. */
export const headerName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ALL_SIGNATURE_HEADER_NAMES).chain((name) => fc.mixedCase(fc.constant(name))),
  fc.constantFrom('content-type', 'user-agent', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 30 }),
);

/** Any header set, including the same name twice in different case. */
export const anyHeaders: fc.Arbitrary<Headers> = fc
  .array(fc.tuple(headerName, headerValue), { maxLength: 6 })
  .map((entries) => Object.fromEntries(entries));

/** A secret as configuration could hold one: anything, including blank. */
const anySecret: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\t\n', 'user:pass', 'user:pa:ss', ':'),
  fc.constantFrom(...providers.map((provider) => devProvider(provider).developmentSecret)),
);

/** A list of accepted secrets, possibly empty. */
export const anySecrets: fc.Arbitrary<readonly string[]> = fc.array(anySecret, { maxLength: 3 });

/** A secret a provider could really be configured with: not blank. */
export const usableSecret: fc.Arbitrary<string> = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }))
  .filter((secret) => secret.trim() !== '');

// ---------------------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------------------

interface Sample {
  readonly provider: string;
  readonly name: string;
  readonly value: unknown;
}

/** Every provider's documentation samples, from `dev/samples/<slug>/`. */
export const SAMPLES: readonly Sample[] = providers.flatMap((provider) => {
  const folder = new URL(`../../dev/samples/${provider.slug}/`, import.meta.url);
  let names: string[];
  try {
    names = readdirSync(folder).filter(isSampleFile);
  } catch {
    return [];
  }
  return names.map((name) => ({
    provider: provider.slug,
    name,
    value: JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown,
  }));
});

function collectKeys(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => collectKeys(item, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      collectKeys(item, into);
    }
  }
  return into;
}

/** Every key the samples use, so random objects often have fields the recognisers look at. */
const SAMPLE_KEYS: readonly string[] = [...SAMPLES.reduce((keys, sample) => collectKeys(sample.value, keys), new Set<string>())];

/** The values providers send in real deliveries that trip naive code: zero ids, odd times, huge numbers. */
const oddValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  0, -1, 1, '0', '00', '', ' ', null, true, false, [], {}, 1.5, -0.5,
  1e308, -1e308, Number.MAX_SAFE_INTEGER, 1e21,
  // times: epoch seconds and milliseconds, far future (beyond year 9999 and beyond Date's range), naive, invalid
  1700000000, 1700000000000, '1700000000', '1700000000000', 999999999999, 1e12, 253402300799999, 253402300800000,
  8.64e15, 8.64e15 + 1, 9e15, '8640000000000000', '99999999999999999999', '+275760-09-13T00:00:00.000Z',
  '+010000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '10000-01-01T00:00:00Z', '2019-02-04 04:49:47',
  '2024-02-30T00:00:00Z', '2024-05-14T10:00:00+07:00', '1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z', 'not a time',
  // ids and texts SQS could not take as a deduplication id, or that are long
  'x'.repeat(200), 'a b', 'ümlaut', 'emoji 😀', '\u0000', '\ud800', 'tab\tid', '{"a":1}', 'null', '[]',
  // provider words, in the wrong places
  'whatsapp:message:in', 'whatsapp:message:status', 'post_comment_mobile', 'NEW_SESSION_WEBHOOK', 'text', 'image',
  'file_attachment', 'custom', 'buttons', 'carousel', 'location', 'auth', 'logout', 'delivered', 'read', 'failed',
);

/** Times as providers send them, and as they should not: epoch seconds or ms, naive, zoned, out of range. */
const timeLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0, -1, 1, 1e12 - 1, 1e12, 1700000000, 1700000000000, 253402300799, 253402300800, 253402300799999, 253402300800000,
    8.64e15, 8.64e15 + 1, 1e308, '', ' ', '0', '1700000000', '1700000000000', '99999999999999999999',
    '2019-02-04 04:49:47', '2019-02-04T04:49:47', '2019-02-04 04:49', '2024-05-14T10:00:00+07:00', '2024-02-30T00:00:00Z',
    '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z', 'Tue, 14 May 2024 10:00:00 GMT', 'not a time', null, true,
  ),
  fc.integer({ min: -1e15, max: 1e16 }),
  fc.double({ noNaN: true }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

/** A leaf value: odd, or random. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  oddValue,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** A JSON tree whose object keys are mostly the samples' own keys (and a few that trouble plain objects). */
export const sampleLikeValue: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(
      fc.oneof(fc.constantFrom(...SAMPLE_KEYS), fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string({ maxLength: 8 })),
      tie('node'),
      { maxKeys: 6 },
    ),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

type Path = readonly (string | number)[];

const TIME_KEY = /time|_at$|date/i;

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  }
  return [];
}

type Mutation =
  | { readonly op: 'replace'; readonly value: unknown }
  | { readonly op: 'time'; readonly value: unknown }
  | { readonly op: 'delete' }
  | { readonly op: 'retype' }
  | { readonly op: 'wrap' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), value: sampleLikeValue }),
  fc.record({ op: fc.constant('time' as const), value: timeLike }),
  fc.record({ op: fc.constant('delete' as const) }),
  fc.record({ op: fc.constant('retype' as const) }),
  fc.record({ op: fc.constant('wrap' as const) }),
);

/** Numbers become strings and numeric strings numbers: ids and times arrive both ways. */
function retype(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value); // Qiscus `options` as a string
  return value;
}

function applyMutation(root: unknown, path: Path, change: Mutation): void {
  let parent: unknown = root;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const key = path[path.length - 1];
  if (key === undefined || typeof parent !== 'object' || parent === null) return;
  const container = parent as Record<string | number, unknown>;
  if (change.op === 'delete') {
    if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
    else delete container[key];
    return;
  }
  // defineProperty rather than assignment: a `__proto__` key must stay an own property, as JSON.parse makes it.
  const next =
    change.op === 'replace' || change.op === 'time' ? change.value : change.op === 'retype' ? retype(container[key]) : [container[key]];
  Object.defineProperty(container, key, { value: next, enumerable: true, writable: true, configurable: true });
}

/**
 * A provider sample with up to five fields replaced, deleted, retyped (number ↔ string), wrapped in an array,
 * or, for fields named like times, set to an odd time.
 */
export const mutatedSample: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(fc.tuple(fc.nat(), mutation), { maxLength: 5 }))
  .map(([sample, mutations]) => {
    const value = structuredClone(sample.value);
    for (const [choice, change] of mutations) {
      // A time change goes to a field named like a time, so the odd times do reach the time parsing.
      const paths = pathsOf(value).filter((candidate) => change.op !== 'time' || TIME_KEY.test(String(candidate.at(-1))));
      const path = paths[choice % Math.max(paths.length, 1)];
      if (path !== undefined) applyMutation(value, path, change);
    }
    return value;
  });

/** A copy of `value` with the node at `path` replaced, or deleted when `replacement` is undefined. */
function replacedAt(value: unknown, path: Path, replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item, index) => (index === head ? replacedAt(item, rest, replacement) : item));
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === undefined) delete copy[String(head)];
  else copy[String(head)] = replacedAt(copy[String(head)], rest, replacement);
  return copy;
}

/**
 * Near misses of one sample: exactly one node (a field, an array item, the whole body) replaced by any JSON
 * value or deleted. They reach far deeper into a provider's recogniser than arbitrary JSON, which never looks
 * like a payload.
 *
 * @param sample - the parsed sample
 * @example fc.assert(fc.property(sampleVariant(sampleJson('qiscus-sdk', 'message')), (payload) => ...))
 */
export function sampleVariant(sample: unknown): fc.Arbitrary<unknown> {
  const paths: readonly Path[] = [[], ...pathsOf(sample)];
  return fc
    .tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([path, replacement]) => replacedAt(sample, path, path.length === 0 ? (replacement ?? null) : replacement));
}
/** Envelopes built to look like each provider's, with random contents. */
export const envelopeLike: fc.Arbitrary<unknown> = fc.oneof(
  // Qikchat
  fc.record({ event: fc.constantFrom('whatsapp:message:in', 'whatsapp:message:status', 'whatsapp:other'), payload: sampleLikeValue }),
  fc.record({
    event: fc.constantFrom('whatsapp:message:in', 'whatsapp:message:status'),
    payload: fc.record(
      {
        id: leaf,
        from: leaf,
        status: leaf,
        timestamp: timeLike,
        message: fc.record({ type: fc.oneof(fc.constantFrom('text', 'image', 'interactive', 'reaction', 'order'), leaf), text: sampleLikeValue, from: leaf, id: leaf, timestamp: timeLike }, { requiredKeys: [] }),
        contacts: sampleLikeValue,
      },
      { requiredKeys: [] },
    ),
  }),
  // Chatzuri, both envelopes
  fc.record(
    {
      eventType: fc.oneof(
        fc.constantFrom('lead.submit', 'leads.submit', 'message.received', 'message.sent', 'conversation.started', 'conversation.ended', 'feedback.submitted', 'escalation.triggered', 'other.event'),
        leaf,
      ),
      agentId: leaf,
      chatbotId: leaf,
      channel: leaf,
      payload: sampleLikeValue,
    },
    { requiredKeys: ['eventType', 'payload'] },
  ),
  fc.record(
    {
      event: fc.constantFrom('lead.submit', 'leads.submit', 'message.received', 'message.sent', 'conversation.started', 'conversation.ended', 'feedback.submitted', 'escalation.triggered'),
      timestamp: timeLike,
      agent_id: leaf,
      data: sampleLikeValue,
    },
    { requiredKeys: ['event'] },
  ),
  // Qiscus (both products)
  fc.record({ type: fc.constantFrom('post_comment_mobile', 'post_comment_rest', 'auth', 'other'), payload: sampleLikeValue }),
  fc.record({ payload: fc.record({ type: fc.constantFrom('post_comment_mobile', 'post_comment_rest'), from: sampleLikeValue, room: sampleLikeValue, message: sampleLikeValue }, { requiredKeys: [] }) }),
  fc.record(
    { webhook_type: fc.constant('NEW_SESSION_WEBHOOK'), is_new_session: leaf, payload: sampleLikeValue, room_log: sampleLikeValue },
    { requiredKeys: ['webhook_type'] },
  ),
  fc.record({ type: fc.constant('auth'), payload: fc.record({ action: fc.oneof(fc.constant('logout'), leaf), timestamp: timeLike, user: sampleLikeValue }, { requiredKeys: [] }) }),
);

/** Any JSON value, including the deep and odd shapes. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  sampleLikeValue,
  envelopeLike,
  mutatedSample,
  fc.constantFrom(...SAMPLES.map((sample) => sample.value)),
);

/** JSON nested thousands deep: `[[[...]]]` or `{"payload":{"payload":...}}`. */
const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean())
  .map(([depth, asObjects]) =>
    asObjects ? `${'{"payload":'.repeat(depth)}null${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Any body: JSON (compact, pretty, with a BOM), text, deep JSON, and raw bytes that are not UTF-8 at all. */
export const anyBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: anyJson.map((value) => utf8(JSON.stringify(value))), weight: 6 },
  { arbitrary: anyJson.map((value) => utf8(JSON.stringify(value, null, 2))), weight: 1 },
  { arbitrary: anyJson.map((value) => utf8(`\uFEFF${JSON.stringify(value)}`)), weight: 1 },
  { arbitrary: deepJsonText.map(utf8), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(utf8), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 2 },
);

// ---------------------------------------------------------------------------------------------------------
// Deliveries of every kind, with what identifies them
// ---------------------------------------------------------------------------------------------------------

/** A JSON number written as this text, verbatim (Node 24's `JSON.rawJSON`), so tests can send any digits. */
interface NumberText {
  readonly numberText: string;
}

const rawJson = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;

/**
 * JSON text of a tree whose {@link NumberText} leaves are written as their text.
 *
 * @param indent - `JSON.stringify`'s indentation, for copies in other whitespace
 */
export function jsonText(tree: unknown, indent?: number): string {
  return JSON.stringify(
    tree,
    (_key, value: unknown) => (typeof value === 'object' && value !== null && 'numberText' in value ? rawJson((value as NumberText).numberText) : value),
    indent,
  );
}

/** Free text that runs into separators and escapes, or looks like another form of id. */
const idText: fc.Arbitrary<string> = fc.constantFrom(
  'X', 'in', 'read', 'X:read', 'in:X', 'status', ':', '::', '%3A', '%', '%25', 'a b', 'a%20b', 'ü', '%FC', '\ud800', '\ufffd', '😀',
  'sha256', 'id-sha256', 'message', 'message-temp', 'u@x.com', '+628123', '1', '01', 'y'.repeat(130), 'y'.repeat(131),
  '9007199254740993', '123456789012345678901234567890',
);

/** Integers as JSON numbers: past 2^53, from 10^21 up, and a double's neighbours. */
const idNumber: fc.Arbitrary<NumberText> = fc
  .constantFrom('1', '9007199254740993', '9007199254740992', '17841452998012344', '17841452998012345', '1000000000000000000000', '123456789012345678901234567890', '123456789012345678901234567891')
  .map((numberText) => ({ numberText }));

/** An id as a provider may send it: a string or a JSON number; `text` is what it says, digit for digit. */
const anyId: fc.Arbitrary<{ readonly json: unknown; readonly text: string }> = fc.oneof(
  idText.map((text) => ({ json: text, text })),
  idNumber.map((number) => ({ json: number, text: number.numberText })),
);

/** Numbers that a double holds, does not hold, or spells otherwise: `1e400`, `4.0`, `-0`, 30 digits. */
const anyNumberText: fc.Arbitrary<NumberText> = fc
  .constantFrom('0', '-0', '4', '4.0', '4.50', '100', '1e2', '1E2', '1e21', '1000000000000000000000', '1e400', '1e401', '-1e400', '2e-324', '0.1', '0.1000000000000000000001', '9007199254740993', '9007199254740992', '123456789012345678901234567890')
  .map((numberText) => ({ numberText }));

/** A JSON value for content fields: strings and numbers of every kind, small objects and arrays. */
export const contentValue: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    idText,
    anyNumberText,
    fc.constantFrom(true, false, null),
    fc.dictionary(fc.constantFrom('a', 'b', 'n'), tie('node'), { maxKeys: 3 }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

/**
 * One delivery of one kind, with its identity: the provider's own id for the kind when it has one (its
 * form and parts, as sent), else its content. Two deliveries that are not the same event have different
 * identities. `content` identities hold the JSON value with numbers by value (`4.0` is `4`).
 */
export interface KindDelivery {
  readonly provider: string;
  readonly kindHint?: string;
  readonly type: string;
  readonly tree: unknown;
  readonly identity: readonly unknown[];
}

const qikchatIncoming = fc.tuple(anyId, anyId).map(([id, from]): KindDelivery => ({
  provider: 'qikchat',
  type: 'message.received',
  tree: { event: 'whatsapp:message:in', payload: { id: id.json, message: { from: from.json, type: 'text', text: { body: 'hi' } } } },
  identity: ['in', id.text],
}));

const qikchatStatus = fc.tuple(anyId, idText, anyId).map(([id, status, from]): KindDelivery => ({
  provider: 'qikchat',
  type: 'message.status_updated',
  tree: { event: 'whatsapp:message:status', payload: { id: id.json, from: from.json, status } },
  identity: ['status', id.text, status],
}));

/** A Qiscus comment (both products), identified by its message id, or its temporary id in its room and by its sender. */
const qiscusComment = fc
  .tuple(fc.constantFrom('qiscus-sdk', 'qiscus-omnichannel'), fc.option(anyId, { nil: undefined }), anyId, idText, idText, fc.string({ maxLength: 4 }))
  .map(([provider, id, room, sender, temporaryId, text]): KindDelivery => ({
    provider,
    ...(provider === 'qiscus-omnichannel' ? { kindHint: 'bot' } : {}),
    type: 'message.received',
    tree: {
      type: 'post_comment_mobile',
      payload: {
        from: { id: 0, email: sender },
        room: { id: room.json },
        message: { id: id?.json ?? 0, type: 'text', text, unique_temp_id: temporaryId },
      },
    },
    identity: id === undefined ? ['message-temp', room.text, sender, temporaryId] : ['message', id.text],
  }));

const qiscusNewSession = fc
  .tuple(fc.option(anyId, { nil: undefined }), anyId, idText, idText)
  .map(([id, room, sender, temporaryId]): KindDelivery => ({
    provider: 'qiscus-omnichannel',
    kindHint: 'new-session',
    type: 'conversation.started',
    tree: {
      webhook_type: 'NEW_SESSION_WEBHOOK',
      payload: { from: { email: sender }, room: { id: room.json }, message: { id: id?.json ?? 0, type: 'text', text: 'hi', unique_temp_id: temporaryId } },
    },
    identity: id === undefined ? ['new-session-temp', room.text, sender, temporaryId] : ['new-session', id.text],
  }));

const qiscusResolved = fc.tuple(anyId, fc.option(anyId, { nil: undefined })).map(([service, lastComment]): KindDelivery => ({
  provider: 'qiscus-omnichannel',
  kindHint: 'mark-as-resolved',
  type: 'conversation.resolved',
  tree: { resolved_by: { id: 1 }, service: { id: service.json, ...(lastComment ? { last_comment_id: lastComment.json } : {}) } },
  identity: lastComment === undefined ? ['resolved', service.text] : ['resolved', service.text, lastComment.text],
}));

const qiscusLogout = fc.tuple(anyId, anyId).map(([user, timestamp]): KindDelivery => ({
  provider: 'qiscus-omnichannel',
  kindHint: 'user-logout',
  type: 'user.logged_out',
  tree: { type: 'auth', payload: { action: 'logout', timestamp: timestamp.json, user: { id: user.json } } },
  identity: ['logout', user.text, timestamp.text],
}));

const chatzuriMessage = fc
  .tuple(fc.constantFrom('message.received', 'message.sent'), anyId, fc.string({ maxLength: 4 }))
  .map(([type, id, text]): KindDelivery => ({
    provider: 'chatzuri',
    type,
    tree: { eventType: type, agentId: 'agent_1', payload: { conversationId: 'conv_1', messageId: id.json, message: `hi${text}` } },
    identity: [type, id.text],
  }));

/** Deliveries with no own id: identified by their provider, type and content. */
const contentKinds: fc.Arbitrary<Omit<KindDelivery, 'identity'>> = fc.oneof(
  fc.tuple(fc.constantFrom('lead.submit', 'conversation.started', 'conversation.ended', 'escalation.triggered', 'feedback.submitted'), contentValue).map(([name, extra]) => ({
    provider: 'chatzuri',
    type: name === 'lead.submit' ? 'lead.submitted' : name,
    tree: { eventType: name, agentId: 'agent_1', payload: { conversationId: 'conv_1', extra } },
  })),
  contentValue.map((extra) => ({
    provider: 'chatzuri',
    type: 'message.received',
    tree: { event: 'message.received', data: { conversation_id: 'conv_1', message: 'hi', extra } },
  })),
  fc.tuple(fc.constantFrom('qiscus-sdk', 'qiscus-omnichannel'), contentValue).map(([provider, extra]) => ({
    provider,
    ...(provider === 'qiscus-omnichannel' ? { kindHint: 'bot' } : {}),
    type: 'message.received',
    // Message id 0 and no unique_temp_id: nothing of its own identifies it.
    tree: { type: 'post_comment_rest', payload: { from: { email: 'u@x.com' }, room: { id: '17' }, message: { id: 0, type: 'custom', payload: extra } } },
  })),
  contentValue.map((extra) => ({
    provider: 'qiscus-omnichannel',
    kindHint: 'new-session',
    type: 'conversation.started',
    tree: { webhook_type: 'NEW_SESSION_WEBHOOK', payload: { room: { id: '17' }, message: { id: 0, type: 'custom', payload: extra } } },
  })),
  contentValue.map((extra) => ({
    provider: 'qiscus-omnichannel',
    kindHint: 'agent-allocation',
    type: 'agent.allocation_requested',
    tree: { candidate_agent: { id: 1 }, room_id: '17', extra },
  })),
  contentValue.map((extra) => ({
    provider: 'qiscus-omnichannel',
    kindHint: 'custom-button',
    type: 'custom_button.clicked',
    tree: { agent: { id: 1 }, customer: { user_id: 'u' }, room_id: '17', additional_info: extra },
  })),
  fc.tuple(fc.constantFrom('qiscus-sdk', 'qikchat', 'chatzuri', 'qiscus-omnichannel'), contentValue).map(([provider, extra]) => ({
    provider,
    type: 'event.unrecognized',
    tree: { unknown: extra },
  })),
);

/** A decimal number's value in one spelling, worked out with BigInt: `4.0`, `4` and `4e0` are one value. */
export function decimalValue(text: string): string {
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text) ?? [];
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  return `${sign}${trimmed}e${BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - trimmed.length)}`;
}

/** The content as an identity: numbers by their value, everything else as it is. */
function contentIdentity(tree: unknown): unknown {
  if (typeof tree === 'object' && tree !== null && 'numberText' in tree) return { number: decimalValue((tree as NumberText).numberText) };
  if (Array.isArray(tree)) return tree.map(contentIdentity);
  if (typeof tree === 'object' && tree !== null) return Object.fromEntries(Object.entries(tree).map(([key, value]) => [key, contentIdentity(value)]));
  return tree;
}

/** A delivery of any kind of any provider, and what identifies it. */
export const kindDelivery: fc.Arbitrary<KindDelivery> = fc.oneof(
  qikchatIncoming,
  qikchatStatus,
  qiscusComment,
  qiscusNewSession,
  qiscusResolved,
  qiscusLogout,
  chatzuriMessage,
  contentKinds.map((delivery) => ({ ...delivery, identity: ['content', delivery.type, contentIdentity(delivery.tree)] })),
);
