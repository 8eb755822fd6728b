import { describe, expect, it } from 'vitest';
import { devProvider } from '../../../dev/providers.js';
import { fixedSecretSource, readEnvironmentSecrets, SecretVariableError, type EnvironmentSecretSpec } from '../../../dev/local/secrets.js';

const chatzuri = devProvider('chatzuri');
const qikchat = devProvider('qikchat');

/** The one line a refused environment gives; fails the test when it is accepted. */
function refusal(spec: EnvironmentSecretSpec, env: NodeJS.ProcessEnv): string {
  try {
    readEnvironmentSecrets(spec, env);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretVariableError);
    return (error as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

describe('readEnvironmentSecrets', () => {
  it('reads the current and previous secret from <NAME> and <NAME>_PREVIOUS', () => {
    // Act
    const read = readEnvironmentSecrets(chatzuri, { CHATZURI_SECRET_KEY: 'now', CHATZURI_SECRET_KEY_PREVIOUS: 'before' });

    // Assess
    expect(read).toEqual({ secrets: ['now', 'before'], developmentDefault: false });
  });

  it('uses the development default only when neither variable is set at all', () => {
    // Act
    const read = readEnvironmentSecrets(chatzuri, { OTHER: 'x' });

    // Assess
    expect(read).toEqual({ secrets: [chatzuri.developmentSecret], developmentDefault: true });
  });

  it.each([
    ['empty', { QIKCHAT_BASIC_AUTH: '' }, 'QIKCHAT_BASIC_AUTH is set but empty'],
    ['blank', { QIKCHAT_BASIC_AUTH: ' \t' }, 'QIKCHAT_BASIC_AUTH is set but blank'],
    ['without a colon', { QIKCHAT_BASIC_AUTH: 'nocolon' }, 'QIKCHAT_BASIC_AUTH must be user:password'],
    ['without a user', { QIKCHAT_BASIC_AUTH: ':password' }, 'QIKCHAT_BASIC_AUTH must be user:password'],
    ['with an empty previous', { QIKCHAT_BASIC_AUTH: 'user:pass', QIKCHAT_BASIC_AUTH_PREVIOUS: '' }, 'QIKCHAT_BASIC_AUTH_PREVIOUS is set but empty'],
    ['with a previous but no current', { QIKCHAT_BASIC_AUTH_PREVIOUS: 'old:pass' }, 'QIKCHAT_BASIC_AUTH_PREVIOUS is set but QIKCHAT_BASIC_AUTH is not'],
  ])('refuses a Qikchat variable set %s, in one line naming it and what it needs', (_case, env, start) => {
    // Act
    const line = refusal(qikchat, env);

    // Assess
    expect(line.startsWith(start)).toBe(true);
    expect(line).toContain('user:password');
    expect(line).not.toContain('\n');
  });

  it('refuses a previous Chatzuri secret without a current one instead of adding the development default', () => {
    // Act
    const line = refusal(chatzuri, { CHATZURI_SECRET_KEY_PREVIOUS: 'rotated-out' });

    // Assess
    expect(line).toBe('CHATZURI_SECRET_KEY_PREVIOUS is set but CHATZURI_SECRET_KEY is not: set CHATZURI_SECRET_KEY to the Chatzuri webhook secret key too');
  });

  it('never echoes the refused value, which may be a real secret', () => {
    // Act
    const line = refusal(qikchat, { QIKCHAT_BASIC_AUTH: 'a-real-password-without-user' });

    // Assess
    expect(line).not.toContain('a-real-password-without-user');
  });
});

describe('fixedSecretSource', () => {
  it('hands out the secrets it was given, current first', async () => {
    // Act
    const { secrets } = await fixedSecretSource(['now', 'before']).getSecrets();

    // Assess
    expect(secrets).toEqual(['now', 'before']);
  });
});
