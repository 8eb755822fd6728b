/** The secrets a receiver accepts, and whether it checks them at all. */
export interface ProviderSecrets {
  /** Accepted secrets, current first, then previous (rotation). Empty means: reject everything. */
  readonly secrets: readonly string[];
}

/**
 * Where a receiver gets its provider's secrets: environment variables locally, Secrets Manager in AWS.
 * Implementations cache: a receiver calls this on every request and must not fetch every time.
 */
export interface SecretSource {
  getSecrets(): Promise<ProviderSecrets>;
}
