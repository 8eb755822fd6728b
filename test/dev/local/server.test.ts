/**
 * The local API Gateway keeps to the contract at its edges: only its own routes answer, a path routes only
 * to the receiver it names, a refused body's 413 reaches the client, and a request that never completes is
 * answered 408 and closed in seconds.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer, DEFAULT_REQUEST_TIMEOUTS, type LocalServerOptions } from '../../../dev/local/server.js';
import { postAction } from '../console/actions.js';

const LIMIT = 1024;

/** A server with a receiver for `qikchat` and `other` that records what reaches it. */
function localServer(overrides: Partial<LocalServerOptions> = {}) {
  const received: { slug: string; event: APIGatewayProxyEventV2 }[] = [];
  const receiver = (slug: string) => async (event: APIGatewayProxyEventV2) => (received.push({ slug, event }), { statusCode: 200, body: '{"status":"accepted"}' });
  const server = createLocalServer({
    receivers: new Map([
      ['qikchat', receiver('qikchat')],
      ['other', receiver('other')],
    ]),
    maximumBodyBytes: LIMIT,
    receiverTimeoutMs: 5_000,
    inspect: { events: () => [] },
    ...overrides,
  });
  return { server, received };
}

async function listen(server: ReturnType<typeof createLocalServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** Sends exactly these bytes and reads until the server closes; `error` is set when the connection was reset. */
function rawExchange(port: number, bytes: string): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve({ text }));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ text, error: error.code ?? error.message }));
    socket.write(bytes);
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);

describe('the local server, at the edges of the contract', () => {
  const { server, received } = localServer();
  let port: number;
  beforeAll(async () => (port = await listen(server)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Regression: the inspection table was a plain object, so `constructor` answered 200 and `__proto__` 500.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('answers 404 to GET /_local/%s', async (name) => {
    // Act
    const response = await fetch(`http://127.0.0.1:${port}/_local/${name}`);

    // Assess
    expect(response.status).toBe(404);
  });

  // Regression: the target went through new URL(), which resolved dot segments and backslashes.
  it.each([
    '/webhooks/other/../qikchat',
    '/webhooks/other/%2e%2e/qikchat',
    '/webhooks/other/%2E%2e/qikchat',
    '/webhooks/other/.%2e/qikchat',
    '/webhooks/./qikchat',
    '/webhooks/qikchat/..',
    '/webhooks\\qikchat',
    '/webhooks/other\\..\\qikchat',
    `http://127.0.0.1/webhooks/qikchat`,
    '*',
  ])('answers 404 to the target %s and calls no receiver', async (target) => {
    // Prepare
    const before = received.length;

    // Act
    const { text } = await rawExchange(port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);

    // Assess
    expect(statusOf(text)).toBe(404);
    expect(received).toHaveLength(before);
  });

  it('still routes a plain path, with its query, to the receiver it names', async () => {
    // Prepare
    const before = received.length;

    // Act
    const { text } = await rawExchange(port, `POST /webhooks/qikchat/?a=1 HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);

    // Assess
    expect(statusOf(text)).toBe(200);
    expect(received.slice(before).map(({ slug, event }) => [slug, event.rawPath, event.rawQueryString])).toEqual([['qikchat', '/webhooks/qikchat/', 'a=1']]);
  });

  // Regression: the socket was destroyed while the client still sent, so it saw a reset instead of the 413.
  it.each([
    ['declared', { 'content-length': String(2 * 1024 * 1024) }],
    ['streamed', { 'transfer-encoding': 'chunked' }],
  ])('lets a client that sends a whole large body (%s) read the 413', async (_case, headers) => {
    // Prepare
    const body = Buffer.alloc(2 * 1024 * 1024, 0x20);

    // Act: node:http writes the whole body before it reads, like most webhook senders
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/qikchat', headers, agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.end(body);
    });

    // Assess
    expect(answer).toEqual({ status: 413, body: '{"message":"Payload Too Large"}' });
  });

  it('lets fetch read the 413 of a large body', async () => {
    // Act
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/qikchat`, { method: 'POST', body: Buffer.alloc(4 * 1024 * 1024, 0x20) });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('{"message":"Payload Too Large"}');
  });

  // The one of these that fails without the drain on loopback: the reset reaches a raw socket before the answer is read.
  it('closes the connection after the 413 without a reset once the body is read', async () => {
    // Act
    const { text, error } = await rawExchange(port, `POST /webhooks/qikchat HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\nContent-Length: ${LIMIT * 64}\r\n\r\n${' '.repeat(LIMIT * 64)}`);

    // Assess
    expect(statusOf(text)).toBe(413);
    expect(error).toBeUndefined();
  });
});

describe('the local server, with a request that never completes', () => {
  it('waits seconds, not Node’s 300 s, for headers and body', () => {
    // Act
    const { server } = localServer();

    // Assess
    expect(server.headersTimeout).toBe(DEFAULT_REQUEST_TIMEOUTS.headersMs);
    expect(server.requestTimeout).toBe(DEFAULT_REQUEST_TIMEOUTS.requestMs);
    expect(DEFAULT_REQUEST_TIMEOUTS.requestMs).toBeLessThanOrEqual(10_000);
  });

  // Regression: a Content-Length larger than the body held the connection for Node's default 300 s.
  it('answers 408 and closes when the body falls short of its Content-Length', async () => {
    // Prepare: the same mechanism with short timeouts, so the test does not wait the default seconds
    const { server, received } = localServer({ timeouts: { headersMs: 200, requestMs: 300, checkIntervalMs: 50 } });
    const port = await listen(server);
    try {
      // Act
      const { text } = await rawExchange(port, `POST /webhooks/qikchat HTTP/1.1\r\nHost: 127.0.0.1:${String(port)}\r\nContent-Length: 100\r\n\r\n{"short":`);

      // Assess
      expect(statusOf(text)).toBe(408);
      expect(received).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the local server, asked by a browser or with the wrong method', () => {
  const refused: { method: string; path: string; status: number }[] = [];
  const { server } = localServer({
    onRefused: (answer) => refused.push(answer),
    routes: new Map([
      ['POST /_local/dead-letters/redrive', (_request, response) => void response.end()],
      ['GET /_local/console/entries', (_request, response) => void response.end()],
    ]),
  });
  let port: number;
  beforeAll(async () => (port = await listen(server)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Regression: a GET on a POST-only route answered 404, as if it did not exist.
  it.each([
    ['GET', '/_local/dead-letters/redrive', 'POST'],
    ['POST', '/_local/console/entries', 'GET'],
    ['POST', '/_local/events', 'GET'],
    ['GET', '/webhooks/qikchat', 'POST'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    // Act: a POST under /_local/ as a tool sends one (JSON, with the token), so that only its method is wrong
    const base = `http://127.0.0.1:${String(port)}`;
    const response = method === 'POST' && path.startsWith('/_local/') ? await postAction(base, path) : await fetch(`${base}${path}`, { method });

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(await response.json()).toEqual({ message: 'Method Not Allowed' });
  });

  // Regression: a browser's stray GETs (an old tab's /console.js, /favicon.ico) were listed in the console as rejected deliveries.
  it('tells of refused deliveries only, not of a stray GET', async () => {
    // Prepare
    refused.length = 0;

    // Act
    const strays = await Promise.all(['/console.js', '/favicon.ico'].map(async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).status));
    await fetch(`http://127.0.0.1:${port}/webhooks/nobody`, { method: 'POST', body: '{}' });
    await fetch(`http://127.0.0.1:${port}/webhooks/qikchat`);

    // Assess
    expect(strays).toEqual([404, 404]);
    expect(refused.map(({ method, path, status }) => `${method} ${path} ${String(status)}`)).toEqual(['POST /webhooks/nobody 404', 'GET /webhooks/qikchat 405']);
  });
});
