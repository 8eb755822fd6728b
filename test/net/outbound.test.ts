import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_ALLOWED, OutboundFailedError, outboundRequest, OutboundRefusedError, PUBLIC_HTTPS_ONLY, type OutboundPolicy } from '../../lib/net/outbound.js';

const HTTP_PUBLIC_ONLY: OutboundPolicy = { allowHttp: true, allowAddresses: [] };

describe('outboundRequest', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (request.url === '/hang') {
        // Never answers.
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reaches a loopback server when the policy allows loopback', async () => {
    // Act
    const response = await outboundRequest(new URL(`http://127.0.0.1:${String(port)}/`), { method: 'GET', timeoutMs: 2000 }, LOOPBACK_ALLOWED);
    // Assess
    expect(response.status).toBe(200);
    expect((await response.body.toArray()).join('')).toBe('ok');
  });

  it.each([
    ['a loopback address', (p: number) => `http://127.0.0.1:${String(p)}/`],
    ['a name that resolves to loopback', (p: number) => `http://localhost:${String(p)}/`],
    ['an IPv4-mapped loopback address', (p: number) => `http://[::ffff:127.0.0.1]:${String(p)}/`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['the Lambda runtime API', () => 'http://169.254.100.1:9001/2018-06-01/runtime/invocation/next'],
    ['a private address', () => 'http://10.0.0.1/'],
    ['a reserved address', () => 'http://0.0.0.0/'],
  ])('refuses %s, with a refusal that is not retried', async (_name, url) => {
    // Act
    const attempt = outboundRequest(new URL(url(port)), { method: 'GET', timeoutMs: 2000 }, HTTP_PUBLIC_ONLY);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(attempt).rejects.toMatchObject({ reason: 'outbound_address' });
  });

  it('refuses http: unless the policy allows it, and credentials in the URL', async () => {
    // Act / Assess
    await expect(outboundRequest(new URL('http://example.com/'), { method: 'GET', timeoutMs: 2000 }, PUBLIC_HTTPS_ONLY)).rejects.toMatchObject({ reason: 'outbound_scheme' });
    await expect(outboundRequest(new URL('https://user:pw@example.com/'), { method: 'GET', timeoutMs: 2000 }, PUBLIC_HTTPS_ONLY)).rejects.toMatchObject({ reason: 'outbound_credentials' });
    await expect(outboundRequest(new URL('https://example.org/'), { method: 'GET', timeoutMs: 2000 }, { ...PUBLIC_HTTPS_ONLY, allowHosts: ['example.com'] })).rejects.toMatchObject({ reason: 'outbound_host' });
  });

  it('returns a redirect as it is, without following it', async () => {
    // Act
    const response = await outboundRequest(new URL(`http://127.0.0.1:${String(port)}/redirect`), { method: 'GET', timeoutMs: 2000 }, LOOPBACK_ALLOWED);
    response.body.resume();
    // Assess
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
  });

  it('fails a request with no answer within its time limit as a timeout', async () => {
    // Act
    const attempt = outboundRequest(new URL(`http://127.0.0.1:${String(port)}/hang`), { method: 'GET', timeoutMs: 200 }, LOOPBACK_ALLOWED);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(OutboundFailedError);
    await expect(attempt).rejects.toMatchObject({ reason: 'outbound_timeout' });
  });
});
