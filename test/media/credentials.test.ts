import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManager, type SecretsManagerStandIn } from '../../dev/fakes/secrets-manager.js';
import { mediaCredentialsFromSecrets } from '../../lib/media/credentials.js';
import { startFaultySecretsManager } from '../support/faulty-sqs.js';
import { eventually } from '../support/local-runtime.js';

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

  it("ends a fetch that Secrets Manager does not answer when the attachment's time does, as credentials", async () => {
    // Prepare: an endpoint that takes the request and never answers, and a client that would wait a minute for it
    const hung = await startFaultySecretsManager(secretsManager.endpoint, 'hang');
    const stalled = mediaCredentialsFromSecrets(
      { qikchat: 'qikchat-secret' },
      {
        clientConfig: {
          endpoint: hung.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          requestHandler: { connectionTimeout: 1_000, requestTimeout: 60_000 },
        },
      },
    );
    const time = new AbortController();

    // Act: the attachment's time ends while the fetch waits
    const read = stalled('qikchat', time.signal);
    read.catch(() => undefined);
    await eventually(() => hung.seen.hang > 0);
    time.abort(new Error('the attachment is out of time'));

    // Assess: failed at once (waiting for the client's minute would outlast the test's time)
    await expect(read).rejects.toMatchObject({ reason: 'credentials' });
    await hung.close();
  });
});
