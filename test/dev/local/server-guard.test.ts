/**
 * Whom the local server answers (issue 22, point 2), over plain HTTP: every route only to a loopback `Host` with its
 * port (else 421: DNS rebinding); `/_local/` to no other origin or site (403); its actions (every POST under
 * `/_local/`) only with `Content-Type: application/json` (else 415) and the token of `GET /_local/console/token` (else
 * 403). No answer carries a CORS header, and a refused request changes nothing.
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_TOKEN_HEADER } from '../../../dev/local/action-token.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { startTestRuntime } from '../../support/local-runtime.js';
import { actionToken } from '../console/actions.js';
import { SECRET, startSpiedConsole, type SpiedConsole } from '../console/spied-console.js';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request to 127.0.0.1:`port` with exactly these headers (`host` included, which fetch does not let one set). */
function ask(port: number, method: string, path: string, headers: OutgoingHttpHeaders = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const corsHeaders = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

/** Each action with a body it takes, and the spy it calls. */
const ACTIONS = [
  ['/_local/console/send', { provider: 'qikchat', sample: 'message-text' }, 'deliveries'],
  ['/_local/dead-letters/redrive', {}, 'redrive'],
  ['/_local/console/replay', { conversation: '6281' }, 'replay'],
  ['/_local/console/resume', { conversation: 'qikchat:6281' }, 'resume'],
] as const;

describe('the local server, asked through another name (DNS rebinding)', () => {
  let target: SpiedConsole;
  let token: string;
  beforeAll(async () => {
    target = await startSpiedConsole();
    token = await actionToken(target.url);
  });
  afterAll(() => target.stop());

  const READS = ['/', '/console/app.css', '/console/app.js', '/health', '/_local/events', '/_local/queues', '/_local/console/entries', '/_local/console/stream', '/_local/console/token', '/_local/nothing-here'];

  it.each([
    'rebind.attacker.test:PORT',
    '127.0.0.1.nip.io:PORT',
    'localhost.attacker.test:PORT',
    'attacker.test@127.0.0.1:PORT',
    '127.0.0.1:PORT.attacker.test',
    '127.0.0.1:OTHER',
    '127.0.0.1',
    'localhost',
    '0.0.0.0:PORT',
    '10.0.0.1:PORT',
    '127.0.0.256:PORT',
    '[::2]:PORT',
    '[::ffff:127.0.0.1]:PORT',
  ])('answers %s with 421 on every route, and reads or changes nothing', async (template) => {
    // Prepare
    const host = template.replace('PORT', String(target.port)).replace('OTHER', String(target.port + 1));
    const before = { ...target.calls };
    const json = { 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: token, host };

    // Act
    const answers = [
      ...(await Promise.all(READS.map((path) => ask(target.port, 'GET', path, { host })))),
      await ask(target.port, 'POST', '/webhooks/qikchat', { host, 'content-type': 'application/json' }, '{}'),
      ...(await Promise.all(ACTIONS.map(([path, body]) => ask(target.port, 'POST', path, json, JSON.stringify(body))))),
    ];

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(421);
      expect(JSON.parse(answer.body)).toEqual({ message: `Misdirected Request: the local runtime answers only to its loopback address (Host 127.0.0.1:${String(target.port)}, localhost:${String(target.port)} or [::1]:${String(target.port)})` });
      expect(corsHeaders(answer)).toEqual([]);
    }
    expect(answers.map((answer) => answer.body).join('')).not.toContain(SECRET);
    expect(target.calls).toEqual(before);
  });

  it.each(['127.0.0.1:PORT', 'localhost:PORT', 'LocalHost:PORT', '127.9.8.7:PORT', '[::1]:PORT'])('answers the loopback name %s', async (template) => {
    // Prepare
    const host = template.replace('PORT', String(target.port));

    // Act
    const [health, events] = await Promise.all([ask(target.port, 'GET', '/health', { host }), ask(target.port, 'GET', '/_local/events', { host })]);

    // Assess
    expect([health.status, events.status]).toEqual([200, 200]);
    expect(events.body).toContain(SECRET);
  });
});

describe('the local server, asked from another origin or site', () => {
  let target: SpiedConsole;
  let token: string;
  beforeAll(async () => {
    target = await startSpiedConsole();
    token = await actionToken(target.url);
  });
  afterAll(() => target.stop());

  it.each([
    ['Origin', 'http://localhost:3932'],
    ['Origin', 'http://127.0.0.1:OTHER'],
    ['Origin', 'null'],
    ['Origin', 'http://rebind.attacker.test:PORT'],
    ['Origin', 'https://127.0.0.1:PORT'],
    ['Origin', 'http://127.0.0.1:PORT.attacker.test'],
    ['Sec-Fetch-Site', 'cross-site'],
    ['Sec-Fetch-Site', 'same-site'],
  ])('refuses /_local/ with 403 when %s is %s: no read, no action', async (name, template) => {
    // Prepare
    const value = template.replace('PORT', String(target.port)).replace('OTHER', String(target.port + 1));
    const before = { ...target.calls };

    // Act
    const reads = await Promise.all(['/_local/events', '/_local/queues', '/_local/console/entries', '/_local/console/token', '/_local/console/stream'].map((path) => ask(target.port, 'GET', path, { [name]: value })));
    const actions = await Promise.all(
      ACTIONS.map(([path, body]) => ask(target.port, 'POST', path, { [name]: value, 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: token }, JSON.stringify(body))),
    );

    // Assess
    for (const answer of [...reads, ...actions]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ message: 'Forbidden: /_local/ answers only the console of its own origin and the tools of this machine' });
      expect(corsHeaders(answer)).toEqual([]);
    }
    expect(target.calls).toEqual(before);
  });

  it('answers its own origin under each loopback name, a user’s own navigation, and a tool that sends no Origin', async () => {
    // Prepare
    const own = [
      { host: `127.0.0.1:${String(target.port)}`, origin: `http://127.0.0.1:${String(target.port)}`, 'sec-fetch-site': 'same-origin' },
      { host: `localhost:${String(target.port)}`, origin: `http://localhost:${String(target.port)}` },
      { 'sec-fetch-site': 'none' },
      {},
    ];

    // Act
    const answers = await Promise.all(own.map((headers) => ask(target.port, 'GET', '/_local/events', headers)));
    const mixed = await ask(target.port, 'GET', '/_local/events', { host: `localhost:${String(target.port)}`, origin: `http://127.0.0.1:${String(target.port)}` });

    // Assess: each its own origin; 127.0.0.1 and localhost are two origins to a browser
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(mixed.status).toBe(403);
  });

  it('sends no CORS headers, not even to a preflight', async () => {
    // Act
    const preflight = await ask(target.port, 'OPTIONS', '/_local/console/send', {
      origin: 'http://localhost:3932',
      'access-control-request-method': 'POST',
      'access-control-request-headers': `content-type,${ACTION_TOKEN_HEADER}`,
    });
    const sameOrigin = await ask(target.port, 'OPTIONS', '/_local/console/send', { 'access-control-request-method': 'POST' });
    const read = await ask(target.port, 'GET', '/_local/events');

    // Assess
    expect(preflight.status).toBe(403);
    expect(sameOrigin.status).toBe(405);
    expect([preflight, sameOrigin, read].flatMap(corsHeaders)).toEqual([]);
  });
});

describe('the local server’s actions: JSON and the token only', () => {
  let target: SpiedConsole;
  let other: SpiedConsole;
  let token: string;
  beforeAll(async () => {
    [target, other] = await Promise.all([startSpiedConsole(), startSpiedConsole()]);
    token = await actionToken(target.url);
  });
  afterAll(() => Promise.all([target.stop(), other.stop()]));

  it.each(ACTIONS)('refuses POST %s without JSON (415) or without its token (403), then does it with both', async (path, body, spy) => {
    // Prepare
    const json = JSON.stringify(body);
    const post = (headers: OutgoingHttpHeaders) => ask(target.port, 'POST', path, headers, json);
    const before = target.calls[spy];

    // Act: what a form or a no-cors fetch can send, then JSON without the token, with a wrong one, with another server's
    const notJson = await Promise.all([
      post({ 'content-type': 'text/plain', [ACTION_TOKEN_HEADER]: token }),
      post({ 'content-type': 'text/plain;charset=UTF-8', [ACTION_TOKEN_HEADER]: token }),
      post({ 'content-type': 'application/x-www-form-urlencoded', [ACTION_TOKEN_HEADER]: token }),
      post({ 'content-type': 'multipart/form-data; boundary=x', [ACTION_TOKEN_HEADER]: token }),
      post({ [ACTION_TOKEN_HEADER]: token }),
    ]);
    const noToken = await Promise.all([
      post({ 'content-type': 'application/json' }),
      post({ 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: '' }),
      post({ 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: 'x'.repeat(token.length) }),
      post({ 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: await actionToken(other.url) }),
    ]);
    const unchanged = target.calls[spy];
    const done = await post({ 'content-type': 'application/json; charset=utf-8', [ACTION_TOKEN_HEADER]: token });

    // Assess
    expect(notJson.map((answer) => answer.status)).toEqual([415, 415, 415, 415, 415]);
    expect(JSON.parse(notJson[0].body)).toEqual({ message: 'Unsupported Media Type: a POST under /_local/ takes Content-Type: application/json' });
    expect(noToken.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect(JSON.parse(noToken[0].body)).toEqual({ message: 'Forbidden: a POST under /_local/ needs the header x-console-token with the token of GET /_local/console/token' });
    expect(unchanged).toBe(before);
    expect(done.status).toBe(200);
    expect(target.calls[spy]).toBe(before + 1);
  });

  it('makes a new token at each start, and answers it with no-store', async () => {
    // Act
    const answer = await ask(target.port, 'GET', '/_local/console/token');
    const posted = await ask(target.port, 'PUT', '/_local/console/token', { 'content-type': 'application/json', [ACTION_TOKEN_HEADER]: token }, '{}');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ token });
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(await actionToken(other.url)).not.toBe(token);
    expect(posted.status).toBe(405);
  });

  it('still takes a delivery from a provider: no Origin, no token, any Content-Type', async () => {
    // Act
    const answer = await ask(target.port, 'POST', '/webhooks/qikchat', { 'content-type': 'text/plain' }, '{}');

    // Assess
    expect(answer.status).toBe(200);
  });
});

describe('the local runtime, asked through another name', () => {
  let runtime: LocalRuntime;
  const lines: string[] = [];
  beforeAll(async () => {
    runtime = await startTestRuntime({ logFormat: 'human', logLevel: 'WARN', writeLine: (line) => lines.push(line) });
  });
  afterAll(() => runtime.stop());

  it('refuses a rebinding Host with 421 and says so in its log; its actions need the token', async () => {
    // Prepare
    const port = Number(new URL(runtime.url).port);

    // Act
    const events = await ask(port, 'GET', '/_local/events', { host: `rebind.attacker.test:${String(port)}` });
    const send = await ask(port, 'POST', '/_local/console/send', { 'content-type': 'application/json' }, '{"provider":"qikchat","sample":"message-text"}');
    const health = await fetch(`${runtime.url}/health`);

    // Assess
    expect(events.status).toBe(421);
    expect(send.status).toBe(403);
    expect(health.status).toBe(200);
    expect(lines.join('\n')).toContain(`WARN Refused GET /_local/events with 421: Host "rebind.attacker.test:${String(port)}" is not this runtime's loopback address`);
    expect(lines.join('\n')).toContain('WARN Refused POST /_local/console/send with 403: Forbidden: a POST under /_local/ needs the header x-console-token');
  });
});
