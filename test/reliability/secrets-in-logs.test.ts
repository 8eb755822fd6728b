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
    const refused: { slug: string; headers: Record<string, string>; body: Buffer }[] = [];
    for (const provider of providers) {
      const pair = secrets.get(provider.slug) ?? { current: '', previous: '' };
      for (const name of await listSamples(provider.slug)) {
        const body = await readSample(provider.slug, name);
        accepted.push(signed(provider.slug, body, pair.current));
      }
      accepted.push(signed(provider.slug, `{"rotation":"${provider.slug}"}`, pair.previous));
      const good = signed(provider.slug, `{"refused":"${provider.slug}"}`, pair.current);
      const [header, value] = signatureHeader(provider, good.headers);
      refused.push(
        { slug: provider.slug, headers: { ...good.headers, [header]: `${value.slice(0, -1)}${value.endsWith('0') ? '1' : '0'}` }, body: good.body },
        { slug: provider.slug, headers: signed(provider.slug, good.body, `${pair.current}-wrong`).headers, body: good.body },
        { slug: provider.slug, headers: { ...good.headers, [header]: `${value}, ${value}` }, body: good.body },
      );
    }
    const failing = accepted.find((request) => request.expected.type === 'message.received')?.expected.id;

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
      await rawRequest(runtime.url, { path: '/webhooks/nobody', headers: accepted[0]?.headers ?? {}, body: '{}' });
      for (const request of accepted) await waitForEvent(runtime, (event) => event.id === request.expected.id);
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
  });
});
