import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretConfigurationError, secretsManagerSecretSource } from '../../lib/secrets/secrets-manager.js';
import { startSecretsManager, type SecretsManagerStandIn } from '../../dev/fakes/secrets-manager.js';

describe('secretsManagerSecretSource, against a Secrets Manager endpoint over HTTP', () => {
  const secretId = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gateway/qikchat';
  let secretsManager: SecretsManagerStandIn;
  let endpoint: string;
  const serve = (value: unknown) => secretsManager.secrets.set(secretId, JSON.stringify(value));
  beforeAll(async () => {
    secretsManager = await startSecretsManager();
    ({ endpoint } = secretsManager);
    serve({ current: 'rotated-in', previous: 'rotated-out' });
  });
  afterAll(() => secretsManager.close());

  const source = (maxAgeSeconds: number) =>
    secretsManagerSecretSource(secretId, {
      maxAgeSeconds,
      clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });

  it('reads {current, previous} once and serves it from the cache afterwards', async () => {
    // Prepare
    secretsManager.calls = 0;
    const secrets = source(300);

    // Act
    const first = await secrets.getSecrets();
    const second = await secrets.getSecrets();

    // Assess
    expect(first.secrets).toEqual(['rotated-in', 'rotated-out']);
    expect(second).toEqual(first);
    expect(secretsManager.calls).toBe(1);
  });

  it('drops a blank previous secret', async () => {
    // Prepare
    serve({ current: 'only', previous: '' });

    // Act
    const { secrets } = await source(0).getSecrets();

    // Assess
    expect(secrets).toEqual(['only']);
  });

  it('refuses a secret of another shape without echoing its value', async () => {
    // Prepare
    serve({ password: 'do-not-echo-me' });

    // Act
    const failure = await source(0).getSecrets().catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SecretConfigurationError);
    expect(JSON.stringify({ message: (failure as Error).message, cause: (failure as Error).cause })).not.toContain('do-not-echo-me');
  });
});
