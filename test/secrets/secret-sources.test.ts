import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretConfigurationError, secretsManagerSecretSource } from '../../lib/secrets/secrets-manager.js';

describe('secretsManagerSecretSource, against a Secrets Manager endpoint over HTTP', () => {
  // A minimal Secrets Manager speaking its JSON protocol: enough for GetSecretValue.
  let value = JSON.stringify({ current: 'rotated-in', previous: 'rotated-out' });
  let calls = 0;
  let server: Server;
  let endpoint: string;
  const readJson = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return JSON.parse(text) as { SecretId: string };
  };
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      calls++;
      const { SecretId } = await readJson(req);
      expect(req.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SecretId, Name: 'gateway/qikchat', SecretString: value, VersionId: 'v1' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const source = (maxAgeSeconds: number) =>
    secretsManagerSecretSource('arn:aws:secretsmanager:us-east-1:123456789012:secret:gateway/qikchat', {
      maxAgeSeconds,
      clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });

  it('reads {current, previous} once and serves it from the cache afterwards', async () => {
    // Prepare
    calls = 0;
    const secrets = source(300);

    // Act
    const first = await secrets.getSecrets();
    const second = await secrets.getSecrets();

    // Assess
    expect(first.secrets).toEqual(['rotated-in', 'rotated-out']);
    expect(second).toEqual(first);
    expect(calls).toBe(1);
  });

  it('drops a blank previous secret', async () => {
    // Prepare
    value = JSON.stringify({ current: 'only', previous: '' });

    // Act
    const { secrets } = await source(0).getSecrets();

    // Assess
    expect(secrets).toEqual(['only']);
  });

  it('refuses a secret of another shape without echoing its value', async () => {
    // Prepare
    value = JSON.stringify({ password: 'do-not-echo-me' });

    // Act
    const failure = await source(0).getSecrets().catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SecretConfigurationError);
    expect(JSON.stringify({ message: (failure as Error).message, cause: (failure as Error).cause })).not.toContain('do-not-echo-me');
  });
});
