import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManager, type SecretsManagerStandIn } from '../../../dev/fakes/secrets-manager.js';
import { readSigningSecret, secretsManagerReader } from '../../../dev/smoke/secrets.js';
import { provider } from '../../support/local-runtime.js';

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;

/** What AWS answers a role without the permission (a JSON service: AccessDeniedException). */
function accessDenied(action: string): Error {
  return Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/deployer/me is not authorized to perform: ${action} on resource: x because no identity-based policy allows the ${action} action`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('readSigningSecret from Secrets Manager (a stand-in speaking its protocol)', () => {
  let secretsManager: SecretsManagerStandIn;
  let reader: ReturnType<typeof secretsManagerReader>;

  beforeAll(async () => {
    secretsManager = await startSecretsManager(
      new Map([
        [arn('qikchat'), JSON.stringify({ current: 'shop:s3cret:pass', previous: 'shop:old' })],
        [arn('rotated'), JSON.stringify({ current: '', previous: 'old-key' })],
        [arn('empty'), JSON.stringify({ current: '', previous: '' })],
        [arn('not-json'), 'just-a-key'],
        [arn('other-shape'), JSON.stringify({ key: 'value' })],
        [arn('placeholder'), JSON.stringify({ previous: '', current: 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4' })],
        [arn('no-colon'), JSON.stringify({ current: 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4', previous: '' })],
      ]),
    );
    reader = secretsManagerReader({ endpoint: secretsManager.endpoint });
  });
  afterAll(async () => {
    reader.destroy();
    await secretsManager.close();
  });

  it('signs with "current", the value the receiver tries first', async () => {
    // Act
    const secret = await readSigningSecret(reader.read, provider('qikchat'), arn('qikchat'));

    // Assess
    expect(secret).toEqual({ value: 'shop:s3cret:pass', note: undefined });
  });

  it('signs with "previous" when "current" is blank: the receiver accepts that one', async () => {
    // Act & Assess
    expect((await readSigningSecret(reader.read, provider('chatzuri'), arn('rotated'))).value).toBe('old-key');
  });

  it('says a secret with no value holds nothing to sign with, and what to store', async () => {
    // Act & Assess
    await expect(readSigningSecret(reader.read, provider('chatzuri'), arn('empty'))).rejects.toThrow(
      `Secret ${arn('empty')} holds no value: store the Chatzuri webhook secret key in "current" (README, "Set each provider's secret")`,
    );
  });

  it.each(['not-json', 'other-shape'])('says a secret that is not {"current", "previous"} JSON (%s) is not, never its value', async (name) => {
    // Act
    const failure = readSigningSecret(reader.read, provider('qiscus-sdk'), arn(name));

    // Assess
    await expect(failure).rejects.toThrow(`Secret ${arn(name)} is not {"current": "...", "previous": "..."}: store it as the README says ("Set each provider's secret")`);
    await expect(failure).rejects.not.toThrow('just-a-key');
  });

  it('says a secret that does not exist does not', async () => {
    // Act & Assess
    await expect(readSigningSecret(reader.read, provider('qikchat'), arn('gone'))).rejects.toThrow(`Secret ${arn('gone')} does not exist`);
  });

  it("notes a value that looks like the stack's random placeholder: the gateway works, the provider's own deliveries are refused", async () => {
    // Act
    const secret = await readSigningSecret(reader.read, provider('qiscus-omnichannel'), arn('placeholder'));

    // Assess
    expect(secret.note).toBe(
      "its secret looks like the random placeholder the stack created (48 letters and digits, no previous): the gateway works, but Qiscus Omnichannel Chat's own deliveries are refused until you store the real value",
    );
  });

  it("refuses a Qikchat value that is no user:password (the placeholder is not), naming what it needs", async () => {
    // Act & Assess
    await expect(readSigningSecret(reader.read, provider('qikchat'), arn('no-colon'))).rejects.toThrow(
      `Secret ${arn('no-colon')} does not hold user:password (a user, a colon, a password): store the real value in "current" (README, "Set each provider's secret")`,
    );
  });
});

describe('readSigningSecret when access is denied', () => {
  it('names the permission AWS says is missing, and what reading a secret needs', async () => {
    // Prepare
    const read = () => Promise.reject(new Error('Could not read the provider secret from Secrets Manager', { cause: accessDenied('secretsmanager:GetSecretValue') }));

    // Act & Assess
    await expect(readSigningSecret(read, provider('qikchat'), arn('qikchat'))).rejects.toThrow(
      `Access denied reading the secret ${arn('qikchat')}: your AWS credentials lack secretsmanager:GetSecretValue (it needs secretsmanager:GetSecretValue on it, and kms:Decrypt on its key if that is a customer-managed key)`,
    );
  });

  it('names kms:Decrypt when the secret\'s key is what refuses', async () => {
    // Prepare
    const read = () => Promise.reject(accessDenied('kms:Decrypt'));

    // Act & Assess
    await expect(readSigningSecret(read, provider('chatzuri'), arn('chatzuri'))).rejects.toThrow(/: your AWS credentials lack kms:Decrypt \(it needs/);
  });
});
