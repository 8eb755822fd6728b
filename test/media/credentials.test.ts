import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManager, type SecretsManagerStandIn } from '../../dev/fakes/secrets-manager.js';
import { mediaCredentialsFromSecrets } from '../../lib/media/credentials.js';

const API_KEY = 'qk-live-0123456789';

describe("a provider's media credentials come from its own secret", () => {
  let secretsManager: SecretsManagerStandIn;
  let credentials: ReturnType<typeof mediaCredentialsFromSecrets>;

  beforeAll(async () => {
    secretsManager = await startSecretsManager(
      new Map([
        ['qikchat-secret', JSON.stringify({ current: 'webhook-secret', mediaHeaders: { 'X-Api-Key': API_KEY } })],
        ['chatzuri-secret', JSON.stringify({ current: 'webhook-secret' })],
        ['broken-secret', JSON.stringify({ current: 'x', mediaHeaders: { 'bad header': API_KEY } })],
      ]),
    );
    credentials = mediaCredentialsFromSecrets(
      { qikchat: 'qikchat-secret', chatzuri: 'chatzuri-secret', sdk: 'broken-secret', gone: 'missing-secret' },
      { clientConfig: { endpoint: secretsManager.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } },
    );
  });
  afterAll(async () => {
    await secretsManager.close();
  });

  it("reads mediaHeaders of the provider's secret, and nothing for a provider without them or without a secret", async () => {
    // Act / Assess
    const signal = AbortSignal.timeout(5_000);
    expect(await credentials('qikchat', signal)).toEqual({ 'X-Api-Key': API_KEY });
    expect(await credentials('chatzuri', signal)).toBeUndefined();
    expect(await credentials('qiscus-omnichannel', signal)).toBeUndefined();
  });

  it('fails as credentials, naming neither value, when the secret cannot be read or its headers are not headers', async () => {
    // Act
    const signal = AbortSignal.timeout(5_000);
    const missing = credentials('gone', signal);
    const broken = credentials('sdk', signal);

    // Assess
    await expect(missing).rejects.toMatchObject({ reason: 'credentials' });
    await expect(broken).rejects.toMatchObject({ reason: 'credentials' });
    const message = await broken.catch((error: unknown) => JSON.stringify({ message: (error as Error).message, cause: (error as Error).cause }));
    expect(message).not.toContain(API_KEY);
  });
});
