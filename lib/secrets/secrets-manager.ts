import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import type { SecretSource } from './types.js';

/** What each provider's secret in Secrets Manager holds. `previous` is optional and may be blank. */
export const RotatingSecretSchema = z.object({
  current: z.string(),
  previous: z.optional(z.string()),
});
export type RotatingSecret = z.infer<typeof RotatingSecretSchema>;

/** The secret's value could not be read or does not have the expected shape. */
export class SecretConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretConfigurationError';
  }
}

export interface SecretsManagerSourceOptions {
  /** How long a fetched value is reused; a rotation is picked up within this. Default 300 s. */
  readonly maxAgeSeconds?: number;
  /** SDK client settings (a test points `endpoint` at a local server). */
  readonly clientConfig?: SecretsManagerClientConfig;
  /** Wraps the SDK client before use: Powertools Tracer's `captureAWSv3Client`, so the fetch shows in traces. */
  readonly instrumentClient?: (client: SecretsManagerClient) => SecretsManagerClient;
}

/**
 * Secrets from AWS Secrets Manager through Powertools Parameters, which caches the value for
 * `maxAgeSeconds`: one fetch on the first request of a cold start, then one per TTL, so a rotation is picked
 * up without a deploy. Nothing is fetched at import time. The fetch has the same tight timeouts as the
 * enqueue: it happens inside a provider's 2-second wait.
 */
export function secretsManagerSecretSource(secretId: string, options: SecretsManagerSourceOptions = {}): SecretSource {
  const client = new SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 300, requestTimeout: 500 },
    ...options.clientConfig,
  });
  const provider = new SecretsProvider({ awsSdkV3Client: options.instrumentClient ? options.instrumentClient(client) : client });
  const maxAge = options.maxAgeSeconds ?? 300;
  // Powertools hands back the very object it cached until the value expires: checked once per fetched value,
  // not on every delivery.
  let checked: { readonly value: unknown; readonly secrets: readonly string[] } | undefined;
  return {
    async getSecrets() {
      let value: unknown;
      try {
        value = await provider.get(secretId, { maxAge, transform: 'json' });
      } catch (error) {
        throw new SecretConfigurationError('Could not read the provider secret from Secrets Manager', { cause: error });
      }
      if (checked !== undefined && checked.value === value) return { secrets: [...checked.secrets] };
      const parsed = RotatingSecretSchema.safeParse(value);
      if (!parsed.success) {
        // Only the paths of the problems, never the values: they would be the secret.
        throw new SecretConfigurationError('The provider secret is not {"current": "...", "previous": "..."}', {
          cause: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`),
        });
      }
      const secrets = [parsed.data.current, parsed.data.previous ?? ''].filter((secret) => secret !== '');
      checked = { value, secrets };
      return { secrets: [...secrets] };
    },
  };
}
