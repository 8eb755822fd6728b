/**
 * The one redaction rule (issue 22, point 3): which names are credentials, and that their values are gone from
 * whatever the archive, a log line or the console writes, at any depth, in JSON carried in strings and in query
 * strings, while everything else is written as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonLineLogger } from '../../lib/observability/json-logger.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { isCredentialName, REDACTED, redactHeaders, redactSensitive, redactText, redactValue } from '../../lib/observability/redact.js';
import { parseJsonExactly } from '../../lib/providers/kit/exact-json.js';
import { captureStdout } from '../support/capture-stdout.js';

// ---------------------------------------------------------------------------------------------------------
// Names, as words; spelled in every style below
// ---------------------------------------------------------------------------------------------------------

/** Credential names, as words: the 13 of the issue among them, headers too. */
const CREDENTIALS: readonly (readonly string[])[] = [
  ['authentication', 'token'],
  ['access', 'token'],
  ['direct', 'login', 'token'],
  ['session', 'token'],
  ['refresh', 'token'],
  ['token'],
  ['api', 'key'],
  ['sdk', 'key'],
  ['qismo', 'key'],
  ['secret', 'key'],
  ['private', 'key'],
  ['x', 'webhook', 'key'],
  ['x', 'api', 'key'],
  ['x', 'auth'],
  ['auth'],
  ['secret'],
  ['client', 'secret'],
  ['password'],
  ['passwd'],
  ['pwd'],
  ['credentials'],
  ['authorization'],
  ['proxy', 'authorization'],
  ['signature'],
  ['qiscus', 'signature', 'key'],
  ['x', 'chatzuri', 'signature'],
  ['x', 'hub', 'signature', '256'],
  ['cookie'],
  ['set', 'cookie'],
];

/** Names that are no credentials, however spelled conventionally: what a payload or a log line holds besides. */
const ORDINARY: readonly (readonly string[])[] = [
  ['key'],
  ['keys'],
  ['keyword'],
  ['monkey'],
  ['anykey'],
  ['key', 'count'],
  ['token', 'type'],
  ['is', 'token', 'expiring'],
  ['session', 'id'],
  ['is', 'new', 'session'],
  ['is', 'sessional'],
  ['author'],
  ['oauth'],
  ['auth', 'webhook', 'url'],
  ['is', 'auth', 'webhook', 'enabled'],
  ['signature', 'version'],
  ['name'],
  ['email'],
  ['room', 'id'],
  ['message', 'id'],
  ['user', 'properties'],
  ['value'],
  ['sha256'],
  ['reason'],
  ['content', 'type'],
  ['event', 'id'],
];

const capital = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

/** The conventional spellings of a name: snake, SCREAMING_SNAKE, kebab, Train-Case, camel, Pascal, flat, FLAT. */
const STYLES: readonly ((words: readonly string[]) => string)[] = [
  (words) => words.join('_'),
  (words) => words.join('_').toUpperCase(),
  (words) => words.join('-'),
  (words) => words.map(capital).join('-'),
  (words) => words.map((word, index) => (index === 0 ? word : capital(word))).join(''),
  (words) => words.map(capital).join(''),
  (words) => words.join(''),
  (words) => words.join('').toUpperCase(),
];

/** A credential name in any style, and then any letter in either case (`aUtHeNtIcAtIoN-tOkEn`). */
const credentialName: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...CREDENTIALS), fc.constantFrom(...STYLES, (words: readonly string[]) => words.join('.')), fc.infiniteStream(fc.boolean()))
  .map(([words, style, upper]) => style(words).replace(/[a-z]/gi, (char) => (upper.next().value === true ? char.toUpperCase() : char.toLowerCase())));

/** An ordinary name in a conventional style. */
const ordinaryName: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...ORDINARY), fc.constantFrom(...STYLES)).map(([words, style]) => style(words));

describe('the credential names', () => {
  it.each([
    // The 13 values archived in clear (issue 22): their names
    'Authentication_Token', 'authenticationToken', 'password', 'access_token', 'api_key', 'secret', 'sdk_key', 'authentication_token',
    // ... the one the default handler logged at DEBUG, the headers the console showed, the ones it always hid
    'qismo_key', 'x-webhook-key', 'x-auth', 'X-Auth', 'authorization', 'qiscus-signature-key', 'QISCUS-SDK-SIGNATURE', 'x-chatzuri-signature', 'cookie',
    // ... and spellings of the rest of the rule
    'apiKey', 'APIKey', 'APIKEY', 'apikey', 'Api-Key', 'aPi_kEy', 'QISMOKEY', 'direct_login_token', 'webhook_secret', 'secret_key', 'db_pwd', 'passphrase',
    'credential', 'credentials', 'set-cookie', 'auth', 'AUTH', 'basic_auth', 'XAuth', 'xauth', 'x-hub-signature-256', 'api_key_2', 'sort_key', 'publicKey',
  ])('%s is a credential', (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each([
    'key', 'Key', 'keys', 'keyword', 'monkey', 'MONKEY', 'turkey', 'hotkey', 'anykey', 'key_count', 'keyCount', 'token_type', 'tokenType', 'is_token_expiring',
    'sessionId', 'session_id', 'is_new_session', 'author', 'oauth', 'authentication', 'auth_webhook_url', 'signature_version', 'sha256', 'reason', 'verification',
    'messageId', 'eventId', 'conversation', 'durationMs', 'correlation_id', 'function_request_id', 'xray_trace_id', 'content-type', 'user_properties', 'value',
  ])('%s is no credential', (name) => {
    expect(isCredentialName(name)).toBe(false);
  });

  it('holds for any spelling of a listed credential, and for no conventional spelling of an ordinary name', () => {
    fc.assert(
      fc.property(credentialName, (name) => {
        expect(isCredentialName(name), name).toBe(true);
      }),
      { numRuns: 1_000 },
    );
    fc.assert(
      fc.property(ordinaryName, (name) => {
        expect(isCredentialName(name), name).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Values: any depth, JSON in strings, query strings
// ---------------------------------------------------------------------------------------------------------

describe('redactText and redactValue', () => {
  it('redacts JSON carried in a string and keeps it a string, written as it was but for the redacted values', () => {
    // Prepare: pretty-printed, with an escape, an exact number, a null credential and a credential object
    const text = '{\n  "sdk_key": "k1",\n  "n": 123456789012345678901234567890,\n  "caf\\u00e9": "x",\n  "direct_login_token": null,\n  "auth": { "user": "u", "pass": "p" }\n}';
    // Act
    const redacted = redactText(text);
    // Assess
    expect(redacted).toBe('{\n  "sdk_key": "[REDACTED]",\n  "n": 123456789012345678901234567890,\n  "caf\\u00e9": "x",\n  "direct_login_token": null,\n  "auth": "[REDACTED]"\n}');
  });

  it('redacts JSON inside JSON inside a string, and query strings inside those', () => {
    // Prepare
    const inner = JSON.stringify({ authentication_token: 't1', callback: 'https://example.test/cb?lang=id&access_token=t2#x' });
    const outer = JSON.stringify([{ extras: inner, name: 'dewi' }]);
    // Act
    const redacted = JSON.parse(redactText(outer)) as [{ extras: string; name: string }];
    // Assess
    expect(JSON.parse(redacted[0].extras)).toEqual({ authentication_token: REDACTED, callback: `https://example.test/cb?lang=id&access_token=${REDACTED}#x` });
    expect(redacted[0].name).toBe('dewi');
  });

  it.each([
    ['/webhooks/qikchat?token=abc', `/webhooks/qikchat?token=${REDACTED}`],
    ['/webhooks/qikchat?lang=id&API_KEY=abc&page=2', `/webhooks/qikchat?lang=id&API_KEY=${REDACTED}&page=2`],
    ['https://example.test/#access_token=abc&state=s', `https://example.test/#access_token=${REDACTED}&state=s`],
    ['password=hunter2&user=dewi', `password=${REDACTED}&user=dewi`],
    ['api%5Fkey=abc', `api%5Fkey=${REDACTED}`],
    ['/webhooks/qikchat?key=abc&keyword=shoes&token=', '/webhooks/qikchat?key=abc&keyword=shoes&token='],
    ['no pairs here', 'no pairs here'],
    ['{not json: token=abc', `{not json: token=${REDACTED}`],
  ])('redacts the credentials of a query string: %s', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('keeps exact numbers, null credentials and keys named like object members as data', () => {
    // Prepare
    const { value } = parseJsonExactly('{"__proto__":{"sdk_key":"x"},"big":123456789012345678901234567890,"list":[{"Sdk-Key":"y","api_key":null}]}');
    // Act
    const text = JSON.stringify(redactValue(value));
    // Assess
    expect(text).toBe('{"__proto__":{"sdk_key":"[REDACTED]"},"big":123456789012345678901234567890,"list":[{"Sdk-Key":"[REDACTED]","api_key":null}]}');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The property: generated names and nestings through every writer
// ---------------------------------------------------------------------------------------------------------

/** A generated input, what the rule must make of it, and the credential values in it. */
interface Case {
  readonly input: unknown;
  readonly expected: unknown;
  readonly secrets: readonly string[];
}

const secretValue: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((text) => `secret-${text}`);
const plainValue: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9]{1,8}$/).map((text) => `plain-${text}`);

const combine = (cases: readonly Case[]): readonly string[] => cases.flatMap((c) => c.secrets);

/** A credential's value: a string, a number, an object of its own; or null, which stays null. */
const credentialValue: fc.Arbitrary<Case> = fc.oneof(
  secretValue.map((secret) => ({ input: secret, expected: REDACTED, secrets: [secret] })),
  secretValue.map((secret) => ({ input: { user: 'u', pass: secret }, expected: REDACTED, secrets: [secret] })),
  fc.constant({ input: null, expected: null, secrets: [] }),
);

const { node } = fc.letrec<{ node: Case; object: Case; array: Case; jsonString: Case; queryString: Case }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plainValue.map((plain) => ({ input: plain, expected: plain, secrets: [] })), tie('object'), tie('array'), tie('jsonString'), tie('queryString')),
  object: fc
    .uniqueArray(
      fc.oneof(
        fc.tuple(credentialName, credentialValue),
        fc.tuple(ordinaryName, tie('node')),
      ),
      { maxLength: 5, selector: ([name]) => name },
    )
    .map((entries) => ({
      input: Object.fromEntries(entries.map(([name, value]) => [name, value.input])),
      expected: Object.fromEntries(entries.map(([name, value]) => [name, value.expected])),
      secrets: combine(entries.map(([, value]) => value)),
    })),
  array: fc.array(tie('node'), { maxLength: 4 }).map((items) => ({ input: items.map((item) => item.input), expected: items.map((item) => item.expected), secrets: combine(items) })),
  // JSON carried in a string field (Qiscus `extras`, `room.options`), compact or pretty-printed
  jsonString: fc.tuple(fc.oneof(tie('object'), tie('array')), fc.constantFrom(0, 2)).map(([inner, indent]) => ({
    input: JSON.stringify(inner.input, null, indent),
    expected: JSON.stringify(inner.expected, null, indent),
    secrets: inner.secrets,
  })),
  // A URL with a credential in its query string
  queryString: fc.tuple(credentialName, secretValue, plainValue).map(([name, secret, plain]) => ({
    input: `https://example.test/callback?lang=${plain}&${encodeURIComponent(name)}=${secret}&page=2`,
    expected: `https://example.test/callback?lang=${plain}&${encodeURIComponent(name)}=${REDACTED}&page=2`,
    secrets: [secret],
  })),
}));

/** A payload: an object at the top, as every provider sends. */
const payload: fc.Arbitrary<Case> = fc.tuple(ordinaryName, node).map(([name, value]) => ({ input: { [name]: value.input }, expected: { [name]: value.expected }, secrets: value.secrets }));

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text.includes(secret), `${secret} survived in ${text}`).toBe(false);
}

describe('one rule for the archive, the logs and the console', () => {
  it('the archive: no credential survives, at any depth or in any string, and everything else is as it was', () => {
    fc.assert(
      fc.property(payload, ({ input, expected, secrets }) => {
        // Act
        const redacted = redactValue(input);
        // Assess
        expect(redacted).toEqual(expected);
        expectNoSecret(JSON.stringify(redacted), secrets);
      }),
      { numRuns: 500 },
    );
  });

  it('a log line, written by the receivers’ logger and by Powertools Logger', async () => {
    const cases = fc.sample(payload, { numRuns: 150, seed: 22 });
    const lines: string[] = [];
    const receiverLogger = createJsonLineLogger({ write: (_level, line) => void lines.push(line) });
    const powertools = createLogger({ logLevel: 'INFO' });
    lines.push(...(await captureStdout(async () => cases.forEach(({ input }) => powertools.info('a handler logged a payload', { payload: input })))));
    for (const { input } of cases) receiverLogger.error('a handler logged a payload', { payload: input });
    expect(lines).toHaveLength(cases.length * 2);
    lines.forEach((line, index) => {
      const { expected, secrets } = cases[index % cases.length] ?? { expected: undefined, secrets: [] };
      expect((JSON.parse(line) as { payload: unknown }).payload).toEqual(expected);
      expectNoSecret(line, secrets);
    });
  });

  it('the console: a body as text, kept as it was sent but for the credentials', () => {
    fc.assert(
      fc.property(payload, fc.constantFrom(0, 2), ({ input, expected, secrets }, indent) => {
        // Act
        const body = redactText(JSON.stringify(input, null, indent));
        // Assess
        expect(body).toBe(JSON.stringify(expected, null, indent));
        expectNoSecret(body, secrets);
      }),
      { numRuns: 500 },
    );
  });

  it('the console: headers by name, in any spelling; other headers lose their query-string credentials', () => {
    fc.assert(
      fc.property(credentialName, secretValue, ordinaryName, secretValue, (name, secret, other, inQuery) => {
        // Act
        const redacted = redactHeaders({ [name]: secret, [`${other}-x`]: 'text/plain', referer: `https://example.test/?token=${inQuery}` });
        // Assess
        expect(redacted).toEqual({ [name]: REDACTED, [`${other}-x`]: 'text/plain', referer: `https://example.test/?token=${REDACTED}` });
      }),
      { numRuns: 500 },
    );
    expect(redactHeaders({ Authorization: 'Basic dXNlcjpwYXNz', 'x-auth': 'Bearer abc' })).toEqual({ Authorization: `Basic ${REDACTED}`, 'x-auth': `Bearer ${REDACTED}` });
  });
});

describe('log redaction', () => {
  it('hides signature headers, credentials and tokens wherever they stand in a log line', async () => {
    // Prepare
    const logger = createLogger({ logLevel: 'INFO' });
    const secrets = ['Basic dXNlcjpwYXNz', 'c2lnbmF0dXJl', 'NlASwSIUnAqoTcFjYNBR', 'NZTGb', 'hunter2', '43Ondc'];

    // Act
    const lines = await captureStdout(async () => {
      logger.info('a handler logged too much', {
        headers: { Authorization: secrets[0], 'qiscus-signature-key': secrets[1], 'content-type': 'application/json' },
        candidate_agent: { name: 'dewi', authentication_token: secrets[2], sdk_key: secrets[3], qismo_key: secrets[5] },
        password: secrets[4],
      });
    });

    // Assess
    const output = lines.join('\n');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain('application/json');
    expect(output).toContain('dewi');
    expect(output).toContain(REDACTED);
  });

  it('leaves ordinary keys alone, including a rejection reason that names a signature', () => {
    // Act & Assess
    expect(redactSensitive('reason', 'signature_mismatch')).toBe('signature_mismatch');
    expect(redactSensitive('verification', 'enforced')).toBe('enforced');
    expect(redactSensitive('x-chatzuri-signature', 'abc')).toBe(REDACTED);
    expect(redactSensitive('url', '/webhooks/qikchat?token=abc')).toBe(`/webhooks/qikchat?token=${REDACTED}`);
  });

  it('takes the receivers’ logger off its fast path for a string that carries a credential, and a URL object', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createJsonLineLogger({ write: (_level, line) => void lines.push(line) });
    // Act
    logger.error('request failed', { url: '/webhooks/qikchat?token=abc', where: new URL('https://example.test/cb?access_token=def'), body: '{"api_key":"ghi"}' });
    // Assess
    expect(lines.join('')).not.toMatch(/abc|def|ghi/);
  });
});
