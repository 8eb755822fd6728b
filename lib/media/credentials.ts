import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from '../secrets/max-age.js';
import { MediaStoreError } from './errors.js';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The part of a provider's secret the worker reads: headers its media links need, e.g. `{"X-Api-Key": "..."}`. */
const MediaSecretSchema = z.object({ mediaHeaders: z.record(z.string().regex(HEADER_NAME), z.string()).optional() });

export interface MediaCredentialsOptions {
  /** How long a fetched secret is reused. @default DEFAULT_SECRETS_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
  /** SDK client settings (a test points `endpoint` at a local stand-in). */
  readonly clientConfig?: SecretsManagerClientConfig;
}

/**
 * The media credentials of the providers that have them: `mediaHeaders` of each provider's own secret in Secrets
 * Manager (beside its `current` and `previous` webhook secrets), cached like the receivers' secrets. Never from the
 * payload; the values go into the request's headers only (never into a message, a log or the event).
 *
 * @param secretIds - the secret of each provider whose media links need credentials, by slug
 * @example mediaCredentialsFromSecrets({ qikchat: 'arn:aws:secretsmanager:…:secret:qikchat-webhook-AbCdEf' })
 */
export function mediaCredentialsFromSecrets(secretIds: Readonly<Record<string, string>>, options: MediaCredentialsOptions = {}) {
  const client = new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true }, ...options.clientConfig });
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  const maxAge = options.maxAgeSeconds ?? DEFAULT_SECRETS_MAX_AGE_SECONDS;
  return async (slug: string, signal: AbortSignal): Promise<Readonly<Record<string, string>> | undefined> => {
    const secretId = secretIds[slug];
    if (secretId === undefined) return undefined;
    let value: unknown;
    try {
      signal.throwIfAborted();
      value = await provider.get(secretId, { maxAge, transform: 'json' });
    } catch (error) {
      throw new MediaStoreError('credentials', `The ${slug} secret could not be read for its media credentials`, { cause: error instanceof Error ? error.name : 'unknown' });
    }
    const parsed = MediaSecretSchema.safeParse(value);
    // Only the paths of the problems, never the values: they would be the secret.
    if (!parsed.success) throw new MediaStoreError('credentials', `The ${slug} secret's mediaHeaders is not {"<header>": "<value>"} (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
    return parsed.data.mediaHeaders;
  };
}
