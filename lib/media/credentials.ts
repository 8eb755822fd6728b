import * as z from 'zod';
import { secretsManagerJsonReader, type SecretsManagerSourceOptions } from '../secrets/secrets-manager.js';
import { MediaStoreError } from './errors.js';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The part of a provider's secret the worker reads: headers its media links need, e.g. `{"X-Api-Key": "..."}`. */
const MediaSecretSchema = z.object({ mediaHeaders: z.record(z.string().regex(HEADER_NAME), z.string()).optional() });

/** The worker's bounds on each fetch attempt: a media download has seconds, not a provider's 2-second wait. */
const MEDIA_SECRET_BOUNDS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 2 } as const;

/** How the secrets are read: cache age, SDK client settings (a test's local endpoint), tracing. */
export type MediaCredentialsOptions = Omit<SecretsManagerSourceOptions, 'bounds'>;

/**
 * The media credentials of the providers that have them: `mediaHeaders` of each provider's own secret in Secrets
 * Manager (beside its `current` and `previous` webhook secrets), cached like the receivers' secrets. Never from the
 * payload; the values go into the request's headers only (never into a message, a log or the event).
 *
 * @param secretIds - the secret of each provider whose media links need credentials, by slug
 * @example mediaCredentialsFromSecrets({ qikchat: 'arn:aws:secretsmanager:…:secret:qikchat-webhook-AbCdEf' })
 */
export function mediaCredentialsFromSecrets(secretIds: Readonly<Record<string, string>>, options: MediaCredentialsOptions = {}) {
  const read = secretsManagerJsonReader({ ...options, bounds: MEDIA_SECRET_BOUNDS });
  return async (slug: string, signal: AbortSignal): Promise<Readonly<Record<string, string>> | undefined> => {
    const secretId = secretIds[slug];
    if (secretId === undefined) return undefined;
    let value: unknown;
    try {
      signal.throwIfAborted();
      value = await read(secretId, signal);
    } catch (error) {
      throw new MediaStoreError('credentials', `The ${slug} secret could not be read for its media credentials`, { cause: error instanceof Error ? error.name : 'unknown' });
    }
    const parsed = MediaSecretSchema.safeParse(value);
    // Only the paths of the problems, never the values: they would be the secret.
    if (!parsed.success) throw new MediaStoreError('credentials', `The ${slug} secret's mediaHeaders is not {"<header>": "<value>"} (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
    return parsed.data.mediaHeaders;
  };
}
