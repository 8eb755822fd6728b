/** The secrets a receiver accepts, and whether it checks them at all. */
interface ProviderSecrets {
  /** Accepted secrets, current first, then previous (rotation). Empty means: reject everything. */
  readonly secrets: readonly string[];
}

/** How long a caller can wait for the secrets. */
export interface SecretFetchOptions {
  /** Aborts when the answer budget is spent: a fetch still under way then fails at once. */
  readonly signal?: AbortSignal;
}

/**
 * Where a receiver gets its provider's secrets: environment variables locally, Secrets Manager in AWS.
 * Implementations cache: a receiver calls this on every request and must not fetch every time.
 */
export interface SecretSource {
  getSecrets(options?: SecretFetchOptions): Promise<ProviderSecrets>;
}
