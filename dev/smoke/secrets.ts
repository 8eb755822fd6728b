/**
 * The real secret values of a deployed stack, read from Secrets Manager the way a receiver reads them
 * (lib/secrets/secrets-manager.ts: JSON `{"current": "...", "previous": "..."}`), to sign the smoke test's samples.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { SecretConfigurationError, secretsManagerSecretSource } from '../../lib/secrets/secrets-manager.js';
import { devProvider } from '../providers.js';
import { accessDeniedLine, rootCause, SmokeError } from './errors.js';

/** The secrets a receiver accepts, current first, from a secret's ARN. */
export type SecretReader = (secretArn: string) => Promise<readonly string[]>;

/** A secret to sign with, and what to tell about it. */
export interface SigningSecret {
  readonly value: string;
  /** A caution to print beside the result (a value that looks like the stack's placeholder). */
  readonly note?: string | undefined;
}

/** A CLI's Secrets Manager requests: off the providers' deadline, so the SDK gets its usual time and retries. */
const CLIENT_TIMEOUTS = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true } } as const;

/** The region of a Secrets Manager ARN (`arn:aws:secretsmanager:eu-west-1:123456789012:secret:name-AbCdEf`). */
function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/**
 * Reads secrets from Secrets Manager with the credentials as the AWS CLI finds them, in each ARN's region (else
 * `region`); `endpoint` is a stand-in's (tests). `destroy` closes the clients.
 */
export function secretsManagerReader(options: { readonly region?: string | undefined; readonly endpoint?: string | undefined } = {}): {
  readonly read: SecretReader;
  destroy(): void;
} {
  const clients: SecretsManagerClient[] = [];
  return {
    read: async (secretArn) => {
      const source = secretsManagerSecretSource(secretArn, {
        maxAgeSeconds: 0,
        clientConfig: {
          region: regionOfArn(secretArn) ?? options.region,
          ...CLIENT_TIMEOUTS,
          // A stand-in accepts any credentials; never look for real ones when pointed at it.
          ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        },
        // The hook that instruments the client in a receiver hands it to us here, to be destroyed at the end.
        instrumentClient: (client) => {
          clients.push(client);
          return client;
        },
      });
      return (await source.getSecrets()).secrets;
    },
    destroy: () => {
      for (const client of clients) client.destroy();
    },
  };
}

// What ProviderSecret (infra/) stores until the operator does: 48 letters and digits in `current`, `previous` empty.
const PLACEHOLDER = /^[A-Za-z0-9]{48}$/;

/**
 * The value to sign `provider`'s sample with: the first secret its receiver accepts.
 *
 * @throws SmokeError with one line: access denied (naming the permission), no such secret, not the secret's JSON
 *   form, no value, or a value of the wrong form for the provider
 */
export async function readSigningSecret(read: SecretReader, provider: ProviderDefinition, secretArn: string): Promise<SigningSecret> {
  const data = devProvider(provider);
  let secrets: readonly string[];
  try {
    secrets = await read(secretArn);
  } catch (error) {
    const denied = accessDeniedLine(error, `reading the secret ${secretArn}`, 'secretsmanager:GetSecretValue on it, and kms:Decrypt on its key if that is a customer-managed key');
    if (denied) throw new SmokeError(denied, { cause: error });
    const cause = rootCause(error);
    if (/ResourceNotFoundException/.test(cause)) throw new SmokeError(`Secret ${secretArn} does not exist: check the stack's ${provider.slug} secret output`, { cause: error });
    // The shape check's cause is the list of problems; Powertools' failed JSON parse is a TransformParameterError.
    if ((error instanceof SecretConfigurationError && Array.isArray(error.cause)) || /TransformParameterError/.test(cause)) {
      throw new SmokeError(`Secret ${secretArn} is not {"current": "...", "previous": "..."}: store it as the README says ("Set each provider's secret")`, { cause: error });
    }
    throw new SmokeError(`Could not read the secret ${secretArn} (${cause})`, { cause: error });
  }
  const value = secrets[0];
  if (value === undefined) throw new SmokeError(`Secret ${secretArn} holds no value: store ${data.secretNeeds} in "current" (README, "Set each provider's secret")`);
  if (!data.secretHasForm(value)) {
    throw new SmokeError(`Secret ${secretArn} does not hold ${data.secretNeeds}: store the real value in "current" (README, "Set each provider's secret")`);
  }
  const placeholder = secrets.length === 1 && PLACEHOLDER.test(value);
  return {
    value,
    note: placeholder
      ? `its secret looks like the random placeholder the stack created (48 letters and digits, no previous): the gateway works, but ${provider.displayName}'s own deliveries are refused until you store the real value`
      : undefined,
  };
}
