/**
 * Secrets never reach the log: a whole run of the local pipeline at DEBUG level, with known secrets,
 * accepted and refused deliveries of every provider and a failing handler, captured as written and
 * searched for every secret, its base64 and hex forms, and every signature header value sent.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listSamples, readSample } from '../../dev/local/samples.js';
import { providers } from '../../lib/providers/registry.js';
import { secretVariables } from '../../dev/local/secrets.js';
import { signed, startTestRuntime, waitForEvent, type SignedRequest } from '../support/local-runtime.js';
import { rawRequest, signatureHeader } from './support.js';
import { devProvider } from '../../dev/providers.js';
import { credentialLadenBodies } from '../archive/credential-laden.js';
import { readArchive } from '../../dev/replay/read-archive.js';

/** Everything written to stdout, stderr or the console while it runs (and nothing shown). */
function captureOutput() {
  const written: string[] = [];
  const keep = (chunk: unknown) => written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true)),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => keep(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '))),
    ),
  ];
  return { text: () => written.join(''), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('secrets in logs', () => {
  let capture: ReturnType<typeof captureOutput> | undefined;
  afterEach(() => capture?.restore());

  it('writes no secret, no encoding of one and no signature header value during a full run', { timeout: 30_000 }, async () => {
    // Prepare: this run's own secrets, current and previous, for every provider
    const secrets = new Map<string, { current: string; previous: string }>();
    const env: NodeJS.ProcessEnv = {};
    for (const provider of providers) {
      const pair =
        provider.slug === 'qikchat'
          ? { current: `gateway:${randomBytes(9).toString('hex')}`, previous: `gateway-old:${randomBytes(9).toString('hex')}` }
          : { current: randomBytes(18).toString('base64url'), previous: randomBytes(18).toString('base64url') };
      secrets.set(provider.slug, pair);
      env[secretVariables(devProvider(provider)).current] = pair.current;
      env[secretVariables(devProvider(provider)).previous] = pair.previous;
    }
    const accepted: SignedRequest[] = [];
    // Payloads with credentials of their own (issue 22): the default handler logs such an event at DEBUG
    const { bodies: ladenBodies, credentials } = await credentialLadenBodies();
    const refused: { slug: string; headers: Record<string, string>; body: Buffer }[] = [];
    for (const provider of providers) {
      const pair = secrets.get(provider.slug) ?? { current: '', previous: '' };
      for (const name of await listSamples(provider.slug)) {
        const body = await readSample(provider.slug, name);
        accepted.push(signed(provider.slug, body, pair.current));
      }
      accepted.push(signed(provider.slug, `{"rotation":"${provider.slug}"}`, pair.previous));
      for (const laden of ladenBodies.filter(({ slug }) => slug === provider.slug)) accepted.push(signed(provider.slug, laden.body, pair.current));
      const good = signed(provider.slug, `{"refused":"${provider.slug}"}`, pair.current);
      const [header, value] = signatureHeader(provider, good.headers);
      refused.push(
        { slug: provider.slug, headers: { ...good.headers, [header]: `${value.slice(0, -1)}${value.endsWith('0') ? '1' : '0'}` }, body: good.body },
        { slug: provider.slug, headers: signed(provider.slug, good.body, `${pair.current}-wrong`).headers, body: good.body },
        { slug: provider.slug, headers: { ...good.headers, [header]: `${value}, ${value}` }, body: good.body },
      );
    }
    const failing = accepted.find((request) => request.expected.type === 'message.received')?.expected.id;

    const recordedRequests: string[] = [];
    const refusedToken = 'leak-refused-access-token-5e81b2c4';
    let archived: unknown;

    // Act: the whole run, from start to stop, captured
    capture = captureOutput();
    const runtime = await startTestRuntime({
      env,
      logLevel: 'DEBUG',
      handlers: {
        'message.received': (event, { logger, record }) => {
          logger.debug('handler saw', { event, record });
          if (event.id === failing && record.attributes.ApproximateReceiveCount === '1') throw new Error('handler failure, retried');
        },
      },
    });
    try {
      for (const request of accepted) {
        // As a provider does, send again after a 503 (a queue slowed down by a busy test machine).
        let status = 0;
        for (let attempt = 0; attempt < 3 && status !== 200; attempt++) {
          status = (await rawRequest(runtime.url, { path: `/webhooks/${request.provider.slug}`, headers: request.headers, body: request.body })).status;
          if (status !== 503) break;
        }
        expect(status, `${request.provider.slug} ${request.expected.type}`).toBe(200);
      }
      for (const request of refused) {
        expect((await rawRequest(runtime.url, { path: `/webhooks/${request.slug}`, headers: request.headers, body: request.body })).status).toBe(401);
      }
      await rawRequest(runtime.url, { method: 'GET', path: '/webhooks/qikchat', headers: accepted[0]?.headers ?? {} });
      // Credentials in the query string and in headers outside any signature scheme, as the console recorded them
      const qikchat = accepted.find((request) => request.provider.slug === 'qikchat');
      const inRequest = { query: 'leak-query-token-5e81b2c4', webhookKey: 'leak-x-webhook-key-5e81b2c4', auth: 'leak-x-auth-5e81b2c4' };
      const headers = { ...qikchat?.headers, 'x-webhook-key': inRequest.webhookKey, 'X-Auth': inRequest.auth };
      expect((await rawRequest(runtime.url, { path: `/webhooks/qikchat?lang=id&token=${inRequest.query}`, headers, body: qikchat?.body ?? '' })).status).toBe(200);
      credentials.push(...Object.values(inRequest), refusedToken);
      await rawRequest(runtime.url, { path: `/webhooks/nobody?access_token=${refusedToken}`, headers: accepted[0]?.headers ?? {}, body: '{}' });
      for (const request of accepted) await waitForEvent(runtime, (event) => event.id === request.expected.id);
      const entries = (await (await fetch(`${runtime.url}/_local/console/entries?limit=5000`)).json()) as { id: string; kind: string }[];
      for (const entry of entries.filter((e) => e.kind === 'delivery')) {
        const detail = (await (await fetch(`${runtime.url}/_local/console/entry?id=${encodeURIComponent(entry.id)}`)).json()) as { request?: unknown; event?: unknown };
        // The delivery's request and the CloudEvent shown beneath it.
        recordedRequests.push(JSON.stringify(detail.request), JSON.stringify(detail.event ?? null));
      }
      archived = (await readArchive(runtime.archive)).events;
    } finally {
      await runtime.stop();
      capture.restore();
    }
    const log = capture.text();

    // Assess: the capture saw the run (so an empty log cannot pass) ...
    for (const line of ['Delivery accepted', 'Delivery not accepted', 'handler failure, retried']) expect(log.includes(line), line).toBe(true);
    // ... and none of what must stay secret
    const forbidden = new Set<string>();
    for (const { current, previous } of secrets.values()) {
      for (const secret of [current, previous]) {
        forbidden.add(secret);
        forbidden.add(Buffer.from(secret).toString('base64'));
        forbidden.add(Buffer.from(secret).toString('hex'));
        if (secret.includes(':')) forbidden.add(secret.slice(secret.indexOf(':') + 1)); // a Basic password alone
      }
    }
    for (const request of [...accepted, ...refused]) {
      const provider = providers.find((p) => p.slug === ('provider' in request ? request.provider.slug : request.slug));
      if (!provider) continue;
      const [, value] = signatureHeader(provider, request.headers);
      forbidden.add(value);
      forbidden.add(value.replace(/^(Basic|sha256=)\s*/i, ''));
    }
    for (const value of forbidden) {
      if (value.length >= 8) expect(log.includes(value), `the log holds ${value.slice(0, 4)}…`).toBe(false);
    }
    // ... nor a payload's own credentials, in the log, the archive or the requests the console recorded (issue 22)
    const archive = JSON.stringify(archived);
    expect(log).toContain('Event content');
    expect(archive).toContain('"Authentication_Token":"[REDACTED]"');
    expect(recordedRequests.join('\n')).toContain('token=[REDACTED]');
    for (const credential of credentials) {
      expect(log.includes(credential), `the log holds ${credential}`).toBe(false);
      expect(archive.includes(credential), `the archive holds ${credential}`).toBe(false);
      expect(recordedRequests.some((request) => request.includes(credential)), `the console holds ${credential}`).toBe(false);
    }
  });
});
