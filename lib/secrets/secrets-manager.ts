import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import type { SecretSource } from './types.js';

/** What each provider's secret in Secrets Manager holds. `previous` is optional and may be blank. */
export const RotatingSecretSchema = z.object({
  current: z.string(),
  previous: z.string().optional(),
});
export type RotatingSecret = z.infer<typeof RotatingSecretSchema>;

/** The secret's value could not be read or does not have the expected shape. */
export class SecretConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretConfigurationError';
  }
}

/**
 * Secrets from AWS Secrets Manager, through Powertools Parameters, which caches the value for `maxAgeSeconds`:
 * one fetch per cold start and then one per TTL, so a rotation is picked up without a deploy.
 */
export function secretsManagerSecretSource(secretId: string, maxAgeSeconds = 300): SecretSource {
  return {
    async getSecrets() {
      let value: unknown;
      try {
        value = await getSecret(secretId, { maxAge: maxAgeSeconds, transform: 'json' });
      } catch (error) {
        throw new SecretConfigurationError('Could not read the provider secret from Secrets Manager', { cause: error });
      }
      const parsed = RotatingSecretSchema.safeParse(value);
      if (!parsed.success) {
        // The zod issues name paths only, never values, so they are safe to carry as the cause.
        throw new SecretConfigurationError('The provider secret is not {"current": "...", "previous": "..."}', {
          cause: parsed.error.issues.map((issue) => issue.path.join('.')),
        });
      }
      return { secrets: [parsed.data.current, parsed.data.previous ?? ''].filter((secret) => secret !== '') };
    },
  };
}
