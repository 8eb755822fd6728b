/**
 * Bad input over HTTP against the local runtime: every request gets a defined answer, a rejection puts
 * nothing in the queue, an acceptance loses nothing, and no answer carries detail, a stack or a secret.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { conversationBody } from '../../dev/load/scenario.js';
import { providers } from '../../lib/providers/registry.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { post, signed, startTestRuntime, testSecrets, waitForEvent, type SignedRequest } from '../support/local-runtime.js';
import { countEnqueues, expectGenericAnswer, rawRequest, signatureHeader, without } from './support.js';

const slugs = providers.map((p) => p.slug);
const allSecrets = Object.values(testSecrets);

/** A recognised delivery of `slug` that no other test sends: its event id is its own. */
function fresh(slug: string, secret?: string): SignedRequest {
  return signed(slug, JSON.stringify(conversationBody(slug, `bad-input-${randomUUID()}`, 0)), secret);
}

/** The signature in another encoding than the provider's: the right bytes, wrongly written. */
const wronglyEncoded: Record<string, (value: string) => string> = {
  'qiscus-omnichannel': (value) => Buffer.from(value, 'base64').toString('hex'),
  'qiscus-sdk': (value) => Buffer.from(value, 'hex').toString('base64'),
  qikchat: (value) => `Basic ${Buffer.from(value.replace(/^Basic /, ''), 'base64').toString('hex')}`,
  chatzuri: (value) => Buffer.from(value, 'hex').toString('base64'),
};

/** The signature with its last character changed to another of the same alphabet. */
function lastCharacterChanged(value: string): string {
  // A digit, which differs in value from any other character in hex and in base64 alike: a letter swapped for
  // its other case would decode to the same bytes in hex (regression: 'a' -> 'A' verified 1 run in 16).
  // In base64 the character before the padding carries only some bits: change one that carries six.
  const at = value.endsWith('==') ? value.length - 4 : value.endsWith('=') ? value.length - 3 : value.length - 1;
  const replacement = value[at] === '0' ? '1' : '0';
  return `${value.slice(0, at)}${replacement}${value.slice(at + 1)}`;
}

/** The body with one byte changed: the case of the first letter of its first key. */
function oneByteChanged(body: Buffer): Buffer {
  const changed = Buffer.from(body);
  const index = changed.indexOf('"') + 1;
  changed[index] = (changed[index] ?? 0) ^ 0x20;
  return changed;
}

describe('bad input over HTTP', () => {
  let runtime: LocalRuntime;
  let enqueues: ReturnType<typeof countEnqueues> | undefined;

  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());
  afterEach(() => enqueues?.restore());

  /** POSTs and asserts a rejection: the status, a generic answer, and nothing sent to the queue. */
  async function expectRejected(request: { path: string; headers: Record<string, string>; body: Buffer | string; method?: string }, status: number) {
    enqueues = countEnqueues(runtime.sqs);
    const answer = await rawRequest(runtime.url, { ...request, headers: request.headers });
    expect(answer.status).toBe(status);
    expectGenericAnswer(answer, allSecrets);
    expect(enqueues.count()).toBe(0);
    enqueues.restore();
  }

  /** POSTs and asserts an acceptance: 200, and the event comes out of the worker exactly once. */
  async function expectAccepted(request: SignedRequest, headers: Record<string, string> = request.headers) {
    const answer = await rawRequest(runtime.url, { path: `/webhooks/${request.provider.slug}`, headers, body: request.body });
    expectGenericAnswer(answer);
    expect(answer.status).toBe(200);
    const processed = await waitForEvent(runtime, (event) => event.id === request.expected.id);
    expect(runtime.events().filter((event) => event.id === request.expected.id)).toHaveLength(1);
    return processed;
  }

  describe.each(slugs)('%s signatures', (slug) => {
    it('answers 401 when the signature header is missing', async () => {
      // Prepare
      const request = fresh(slug);
      const [name] = signatureHeader(request.provider, request.headers);
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: without(request.headers, name), body: request.body }, 401);
    });

    it('answers 401 when the signature header is empty', async () => {
      // Prepare
      const request = fresh(slug);
      const [name] = signatureHeader(request.provider, request.headers);
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: { ...without(request.headers, name), [name]: '' }, body: request.body }, 401);
    });

    it('answers 401 when the signature header is sent twice, even with the right value both times', async () => {
      // Prepare
      const request = fresh(slug);
      const [name, value] = signatureHeader(request.provider, request.headers);
      enqueues = countEnqueues(runtime.sqs);
      // Act
      const answer = await rawRequest(runtime.url, {
        path: `/webhooks/${slug}`,
        headers: { ...without(request.headers, name), [name]: [value, value] },
        body: request.body,
      });
      // Assess
      expect(answer.status).toBe(401);
      expectGenericAnswer(answer, allSecrets);
      expect(enqueues.count()).toBe(0);
    });

    it('answers 401 to the right signature in the wrong encoding', async () => {
      // Prepare
      const request = fresh(slug);
      const [name, value] = signatureHeader(request.provider, request.headers);
      const encode = wronglyEncoded[slug];
      if (!encode) throw new Error(`no wrong encoding for ${slug}`);
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: { ...request.headers, [name]: encode(value) }, body: request.body }, 401);
    });

    it('answers 401 to a signature made with another secret', async () => {
      // Prepare
      const request = fresh(slug, slug === 'qikchat' ? 'test-user:wrong' : 'wrong-secret');
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: request.headers, body: request.body }, 401);
    });

    it('answers 401 to a signature with one character changed', async () => {
      // Prepare
      const request = fresh(slug);
      const [name, value] = signatureHeader(request.provider, request.headers);
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: { ...request.headers, [name]: lastCharacterChanged(value) }, body: request.body }, 401);
    });

    it('accepts the signature header under any letter case', async () => {
      // Prepare: node lower-cases names on the wire side too, so send them exactly as written
      const request = fresh(slug);
      const [name, value] = signatureHeader(request.provider, request.headers);
      const shouting = { 'Content-Type': 'application/json', [name.toUpperCase()]: value };
      // Act & Assess
      await expectAccepted(request, shouting);
    });
  });

  // Qikchat's Basic credentials do not cover the body, so a changed body is not detectable there (see
  // docs/GUARANTEES.md); the HMAC providers sign the raw bytes.
  describe.each(slugs.filter((slug) => slug !== 'qikchat'))('%s body integrity', (slug) => {
    it('answers 401 to a body with one byte changed after signing', async () => {
      // Prepare
      const request = fresh(slug);
      // Act & Assess
      await expectRejected({ path: `/webhooks/${slug}`, headers: request.headers, body: oneByteChanged(request.body) }, 401);
    });
  });

  describe('bodies', () => {
    it('answers 401 to an empty unsigned body and accepts an empty signed one, keeping it', async () => {
      // Prepare
      const unsigned = { path: '/webhooks/chatzuri', headers: { 'content-type': 'application/json' }, body: '' };
      const request = signed('chatzuri', '');
      // Act & Assess
      await expectRejected(unsigned, 401);
      const event = await expectAccepted(request);
      expect(event).toMatchObject({ type: 'event.unrecognized', data: { raw: '', reason: 'not_json', rawEncoding: 'utf8' } });
    });

    it('accepts a signed body that is not JSON and keeps its text', async () => {
      // Prepare
      const text = `event=whatsapp:message:in&id=${randomUUID()}`;
      const request = signed('qiscus-sdk', text);
      // Act
      const event = await expectAccepted(request);
      // Assess
      expect(event).toMatchObject({ type: 'event.unrecognized', data: { raw: text, reason: 'not_json' } });
    });

    it('accepts signed bytes that are not UTF-8 under a JSON content type, keeping them exactly (base64)', async () => {
      // Prepare
      const bytes = Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(`${randomUUID()}"}`)]);
      const request = signed('qiscus-omnichannel', bytes);
      // Act
      const event = await expectAccepted(request);
      // Assess
      expect(event).toMatchObject({ type: 'event.unrecognized', data: { raw: bytes.toString('base64'), rawEncoding: 'base64' } });
    });

    it.each(['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined])(
      'verifies the same bytes whatever the Content-Type (%s), base64 through API Gateway or not',
      async (contentType) => {
        // Prepare
        const request = fresh('chatzuri');
        const headers = without(request.headers, 'content-type');
        // Act & Assess
        await expectAccepted(request, contentType ? { ...headers, 'content-type': contentType } : headers);
      },
    );

    // Regression: JSON.stringify overflows the stack past a few thousand levels. A signed body this deep
    // answered 500 for ever (the provider retries for a day), an unsigned Chatzuri one 500 instead of 401.
    it('accepts signed JSON with 10,000 levels of nesting as text, and answers 401 to it unsigned', async () => {
      // Prepare
      const deep = `{"id":"${randomUUID()}","a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const request = signed('chatzuri', deep);
      // Act & Assess
      await expectRejected({ path: '/webhooks/chatzuri', headers: { ...request.headers, 'x-chatzuri-signature': '00'.repeat(20) }, body: deep }, 401);
      const event = await expectAccepted(request);
      expect(event).toMatchObject({ type: 'event.unrecognized', data: { raw: deep, reason: 'not_json' } });
    });

    it('answers 413 to a body over the limit, declared or streamed, and keeps serving', async () => {
      // Prepare
      const limit = localQueueTopology.maximumMessageSizeBytes;
      const request = fresh('qikchat');
      enqueues = countEnqueues(runtime.sqs);
      // Act: a declared length over the limit with no body sent at all: refused before any byte is read
      const declared = await rawRequest(runtime.url, {
        path: '/webhooks/qikchat',
        headers: { ...request.headers, 'content-length': String(limit + 1) },
        sendBody: false,
      });
      const streamed = await rawRequest(runtime.url, {
        path: '/webhooks/qikchat',
        headers: { ...request.headers, 'transfer-encoding': 'chunked' },
        body: Buffer.alloc(limit + 1, 0x20),
      });
      // Assess
      expect([declared.status, streamed.status]).toEqual([413, 413]);
      expectGenericAnswer(declared);
      expectGenericAnswer(streamed);
      expect(enqueues.count()).toBe(0);
      enqueues.restore();
      await expectAccepted(request);
    });
  });

  describe('requests that are no webhook delivery', () => {
    it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers 405 to %s on a webhook path', async (method) => {
      // Prepare
      const request = fresh('qiscus-sdk');
      // Act & Assess
      await expectRejected({ method, path: '/webhooks/qiscus-sdk', headers: request.headers, body: request.body }, 405);
    });

    // Regressions: `%ZZ` made decodeURIComponent throw, and `//%2F/...` made new URL() read `%2F` as a host: 500s.
    it.each(['/webhooks/nobody', '/webhooks/', '/webhooks/qikchat/kind/extra', '/webhook/qikchat', '/webhooks/%ZZ', '/webhooks/qik%00chat', '//%2F/qikchat', '//webhooks/qikchat'])(
      'answers 404 to %s',
      async (path) => {
        // Prepare
        const request = fresh('qikchat');
        // Act & Assess
        await expectRejected({ path, headers: request.headers, body: request.body }, 404);
      },
    );

    it('answers 405 to a POST of the console page (/), a route of its own', async () => {
      // Prepare
      const request = fresh('qikchat');
      // Act & Assess
      await expectRejected({ path: '/', headers: request.headers, body: request.body }, 405);
    });

    // Regression: a kind segment with malformed percent-encoding made decodeURIComponent throw: 500.
    it('ignores a kind hint whose percent-encoding is malformed, like any unknown kind', async () => {
      // Prepare
      const request = fresh('qiscus-omnichannel');
      // Act
      const answer = await rawRequest(runtime.url, { path: '/webhooks/qiscus-omnichannel/%ZZ', headers: request.headers, body: request.body });
      // Assess
      expect(answer.status).toBe(200);
      await waitForEvent(runtime, (event) => event.id === request.expected.id);
    });

    it('answers 431 to headers larger than Node accepts, and the next delivery is accepted', async () => {
      // Prepare
      const request = fresh('chatzuri');
      enqueues = countEnqueues(runtime.sqs);
      // Act
      const huge = await rawRequest(runtime.url, { path: '/webhooks/chatzuri', headers: { ...request.headers, 'x-padding': 'x'.repeat(64 * 1024) }, body: request.body });
      // Assess
      expect(huge.status).toBe(431);
      expect(huge.body).toBe('');
      expect(enqueues.count()).toBe(0);
      enqueues.restore();
      expect((await post(runtime, request)).status).toBe(200);
    });
  });
});
