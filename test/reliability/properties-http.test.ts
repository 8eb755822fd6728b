/**
 * Properties over HTTP against the local runtime (fast-check): arbitrary bytes, headers, paths and
 * methods always get a defined, generic answer; nothing unsigned is enqueued; anything signed comes out of
 * the worker once, its bytes kept.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { providers } from '../../lib/providers/registry.js';
import { signed, startTestRuntime, testSecrets, waitForEvent } from '../support/local-runtime.js';
import { countEnqueues, expectGenericAnswer, rawRequest } from './support.js';
import { signDelivery } from '../../dev/providers.js';

const allSecrets = Object.values(testSecrets);
const signatureHeaders = new Set(providers.flatMap((p) => Object.keys(signDelivery(p, new Uint8Array(), 'x')).map((name) => name.toLowerCase())));
// Headers whose value would change how the request itself is framed or routed, not what it says.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive', 'proxy-connection']);

/** Header names and values as they can travel on the wire (tokens; visible ASCII and spaces). */
const wireHeaders = fc
  .array(
    fc.tuple(
      fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,24}$/), fc.constantFrom(...signatureHeaders, 'Content-Type', 'Authorization')),
      fc.oneof(fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,60}[\x21-\x7e])?$/), fc.constantFrom('', 'sha256=', 'Basic ', 'Basic dGVzdDp0ZXN0')),
    ),
    { maxLength: 8 },
  )
  .map((entries) => Object.fromEntries(entries.filter(([name]) => !FRAMING.has(name.toLowerCase()))));

const anyProvider = fc.constantFrom(...providers);

describe('properties over HTTP', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  it('rejects arbitrary bytes under arbitrary headers with 401 and enqueues none of them', async () => {
    // Prepare
    const enqueues = countEnqueues(runtime.sqs);
    try {
      // Act & Assess
      await fc.assert(
        fc.asyncProperty(anyProvider, fc.uint8Array({ maxLength: 4_096 }), wireHeaders, async (provider, bytes, headers) => {
          const answer = await rawRequest(runtime.url, { path: `/webhooks/${provider.slug}`, headers, body: Buffer.from(bytes) });
          expect(answer.status).toBe(401);
          expectGenericAnswer(answer, allSecrets);
        }),
        { numRuns: 150 },
      );
      expect(enqueues.count()).toBe(0);
    } finally {
      enqueues.restore();
    }
  });

  it('accepts arbitrary signed bytes among arbitrary other headers, and the worker gets them exactly once, unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(anyProvider, fc.uint8Array({ maxLength: 4_096 }), wireHeaders, async (provider, bytes, extra) => {
        // Prepare: the provider's own signature headers win over any random ones of the same name
        const request = signed(provider.slug, Buffer.from(bytes));
        const headers = { ...Object.fromEntries(Object.entries(extra).filter(([name]) => !signatureHeaders.has(name.toLowerCase()))), ...request.headers };
        // Act
        const answer = await rawRequest(runtime.url, { path: `/webhooks/${provider.slug}`, headers, body: request.body });
        // Assess
        expect(answer.status).toBe(200);
        expectGenericAnswer(answer);
        const event = await waitForEvent(runtime, (e) => e.id === request.expected.id);
        expect(event.data).toEqual(request.expected.data);
      }),
      { numRuns: 60 },
    );
    const ids = runtime.events().map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers any path and method with a defined answer, never a 5xx', async () => {
    // Prepare
    const segment = fc.oneof(
      fc.constantFrom(...providers.map((p) => p.slug), 'webhooks', '', '..', '.', '%ZZ', '%00', '%2F', '%E0%A4%A'),
      fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,12}$/),
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
    const method = fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    // Act & Assess
    await fc.assert(
      fc.asyncProperty(fc.oneof(path, path.map((p) => `/webhooks${p}`)), method, async (target, verb) => {
        const answer = await rawRequest(runtime.url, { method: verb, path: target, headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(answer.status).toBeLessThan(500);
        // The local console's page and assets (`GET /`, `/console/...`) are the local server's own, like /_local/.
        const local = target.startsWith('/_local/') || target === '/health' || (verb === 'GET' && (target === '/' || target.startsWith('/console/')));
        if (!local) expectGenericAnswer(answer, allSecrets);
      }),
      { numRuns: 200 },
    );
  });
});
