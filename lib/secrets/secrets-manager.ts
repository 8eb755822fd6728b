import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { GatewayError } from '../events/errors.js';
import { ENQUEUE_BUDGET } from '../queue/sqs-client.js';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from './max-age.js';
import type { SecretFetchOptions, SecretSource } from './types.js';

/** What each provider's secret in Secrets Manager holds. `previous` is optional and may be blank. */
const RotatingSecretSchema = z.object({
  current: z.string(),
  previous: z.optional(z.string()),
});

/** The secret's value could not be read (in time) or does not have the expected shape. */
export class SecretConfigurationError extends GatewayError<'secret_unavailable'> {
  override readonly name: string = 'SecretConfigurationError';

  constructor(message: string, options?: ErrorOptions) {
    super('secret_unavailable', message, options);
  }
}

export interface SecretsManagerSourceOptions {
  /** How long a fetched value is reused; a rotation is picked up within this. @default DEFAULT_SECRETS_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
  /** SDK client settings (a test points `endpoint` at a local server). */
  readonly clientConfig?: SecretsManagerClientConfig;
  /** Wraps the SDK client before use: Powertools Tracer's `captureAWSv3Client`, so the fetch shows in traces. */
  readonly instrumentClient?: (client: SecretsManagerClient) => SecretsManagerClient;
  /**
   * Each fetch attempt's bounds. @default the enqueue's ({@link ENQUEUE_BUDGET}): a receiver fetches inside a
   * provider's 2-second wait, sharing the answer budget with the enqueue.
   */
  readonly bounds?: { readonly connectionTimeoutMs: number; readonly requestTimeoutMs: number; readonly maxAttempts: number };
}

/** Reads a secret's JSON value, cached; the signal ends the wait for a fetch under way. */
export type SecretJsonReader = (secretId: string, signal?: AbortSignal) => Promise<unknown>;

/**
 * Settles as `work` does, or rejects with the signal's reason once it aborts. Powertools Parameters passes no
 * abort signal to the SDK, so the fetch itself goes on, bounded by the client's own timeouts; if it succeeds
 * late, its value still fills the cache for the next request.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * JSON secrets from AWS Secrets Manager through Powertools Parameters, which caches each value for `maxAgeSeconds`:
 * one fetch on the first read of a cold start, then one per TTL, so a rotation is picked up without a deploy. Nothing
 * is fetched at import time. The one home of the gateway's Secrets Manager client: the receivers' secrets, the
 * destinations' signing key and the providers' media credentials all read through it.
 *
 * @example const read = secretsManagerJsonReader({ maxAgeSeconds: 300 }); const value = await read(secretArn, signal);
 */
export function secretsManagerJsonReader(options: SecretsManagerSourceOptions = {}): SecretJsonReader {
  const bounds = options.bounds ?? ENQUEUE_BUDGET;
  const client = new SecretsManagerClient({
    maxAttempts: bounds.maxAttempts,
    // throwOnRequestTimeout: without it the SDK only warns when an attempt outlives requestTimeout, and waits on.
    requestHandler: { connectionTimeout: bounds.connectionTimeoutMs, requestTimeout: bounds.requestTimeoutMs, throwOnRequestTimeout: true },
    ...options.clientConfig,
  });
  const provider = new SecretsProvider({ awsSdkV3Client: options.instrumentClient ? options.instrumentClient(client) : client });
  const maxAge = options.maxAgeSeconds ?? DEFAULT_SECRETS_MAX_AGE_SECONDS;
  return (secretId, signal) => untilAborted(provider.get(secretId, { maxAge, transform: 'json' }), signal);
}

/**
 * A receiver's (or the destinations') rotating secret from AWS Secrets Manager ({@link secretsManagerJsonReader}).
 * The fetch happens inside a provider's 2-second wait: the caller's signal ends it when the answer budget is spent,
 * whatever Secrets Manager does.
 */
export function secretsManagerSecretSource(secretId: string, options: SecretsManagerSourceOptions = {}): SecretSource {
  const read = secretsManagerJsonReader(options);
  // Powertools hands back the very object it cached until the value expires: checked once per fetched value,
  // not on every delivery.
  let checked: { readonly value: unknown; readonly secrets: readonly string[] } | undefined;
  return {
    async getSecrets(fetch: SecretFetchOptions = {}) {
      let value: unknown;
      try {
        value = await read(secretId, fetch.signal);
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
