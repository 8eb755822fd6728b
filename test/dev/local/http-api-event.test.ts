import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer } from '../../../dev/local/server.js';

describe('the local API Gateway: HTTP requests become HTTP API 2.0 events', () => {
  const received: APIGatewayProxyEventV2[] = [];
  const server = createLocalServer({
    receivers: new Map([
      ['qikchat', async (event: APIGatewayProxyEventV2) => (received.push(event), { statusCode: 200, body: '{"status":"accepted"}' })],
    ]),
    maximumBodyBytes: 1024,
    receiverTimeoutMs: 5_000,
    inspect: {},
  });
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function capture(path: string, init: RequestInit): Promise<APIGatewayProxyEventV2> {
    const before = received.length;
    const response = await fetch(`${base}${path}`, init);
    expect(response.status).toBe(200);
    expect(received).toHaveLength(before + 1);
    return received[before] as APIGatewayProxyEventV2;
  }

  it('builds a valid event for a JSON POST, with lower-cased headers, path, route and query', async () => {
    // Act
    const event = await capture('/webhooks/qikchat?attempt=2', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Basic dXNlcjpwYXNz', 'X-Custom-Header': 'A' },
      body: '{"event":"whatsapp:message:in"}',
    });

    // Assess
    expect(APIGatewayProxyEventV2Schema.parse(event)).toBeTruthy();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhooks/qikchat',
      rawPath: '/webhooks/qikchat',
      rawQueryString: 'attempt=2',
      queryStringParameters: { attempt: '2' },
      body: '{"event":"whatsapp:message:in"}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/webhooks/qikchat' }, stage: '$default' },
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz', 'x-custom-header': 'A' });
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('passes the kind segment as a path parameter of the {kind} route', async () => {
    // Act
    const event = await capture('/webhooks/qikchat/mark-as-resolved', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    // Assess
    expect(APIGatewayProxyEventV2Schema.parse(event)).toBeTruthy();
    expect(event).toMatchObject({ routeKey: 'POST /webhooks/qikchat/{kind}', pathParameters: { kind: 'mark-as-resolved' } });
  });

  it('base64-encodes a binary body so its bytes arrive unchanged', async () => {
    // Prepare
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]);

    // Act
    const event = await capture('/webhooks/qikchat', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });

    // Assess
    expect(APIGatewayProxyEventV2Schema.parse(event)).toBeTruthy();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('base64-encodes a body that claims to be JSON but is not UTF-8', async () => {
    // Act
    const event = await capture('/webhooks/qikchat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) });

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
  });

  it('joins a repeated header with commas and splits cookies out, as API Gateway does', async () => {
    // Prepare: fetch folds repeated headers itself, so send raw HTTP
    const port = (server.address() as AddressInfo).port;
    const before = received.length;

    // Act
    await new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/webhooks/qikchat', method: 'POST' }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.setHeader('Content-Type', 'application/json');
      req.setHeader('X-Chatzuri-Signature', ['aaa', 'bbb']);
      req.setHeader('Cookie', 'a=1; b=2');
      req.end('{}');
    });

    // Assess
    const event = received[before] as APIGatewayProxyEventV2;
    expect(APIGatewayProxyEventV2Schema.parse(event)).toBeTruthy();
    expect(event.headers['x-chatzuri-signature']).toBe('aaa,bbb');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it.each([
    ['an unknown provider', '/webhooks/nobody', 'POST', 404],
    ['an unknown path', '/elsewhere', 'POST', 404],
    ['a GET on a webhook', '/webhooks/qikchat', 'GET', 405],
    ['a PUT on a webhook', '/webhooks/qikchat', 'PUT', 405],
  ])('answers %s without calling a receiver', async (_case, path, method, status) => {
    // Prepare
    const before = received.length;

    // Act
    const response = await fetch(`${base}${path}`, { method, ...(method === 'GET' ? {} : { body: '{}' }) });

    // Assess
    expect(response.status).toBe(status);
    expect(received).toHaveLength(before);
  });

  // Regression: the query was gathered in a plain object, where `__proto__` was lost and `constructor` met Object's.
  it('keeps query parameters and headers named like object members as data', async () => {
    // Act
    const event = await capture('/webhooks/qikchat?constructor=a&__proto__=b&toString=c&toString=d', {
      method: 'POST',
      headers: { 'content-type': 'application/json', constructor: 'y' },
      body: '{}',
    });

    // Assess
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([
      ['constructor', 'a'],
      ['__proto__', 'b'],
      ['toString', 'c,d'],
    ]);
    expect(Object.hasOwn(event.headers, 'constructor') && event.headers.constructor).toBe('y');
  });

  it('answers 413 to a body over the limit without calling a receiver', async () => {
    // Prepare
    const before = received.length;

    // Act
    const response = await fetch(`${base}/webhooks/qikchat`, { method: 'POST', body: 'x'.repeat(1025) });

    // Assess
    expect(response.status).toBe(413);
    expect(received).toHaveLength(before);
  });
});
