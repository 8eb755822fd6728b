import type { ProviderDefinition } from '../providers/types.js';
import type { SecretSource } from './types.js';

/** The variables a provider's secrets are read from locally: `<NAME>` and `<NAME>_PREVIOUS`. */
export function secretVariables(provider: Pick<ProviderDefinition, 'secretEnv'>): { current: string; previous: string } {
  return { current: provider.secretEnv, previous: `${provider.secretEnv}_PREVIOUS` };
}

/**
 * Secrets from environment variables (the local runtime). Read once, when the source is made: the
 * environment does not change under a running process.
 */
export function environmentSecretSource(
  provider: Pick<ProviderDefinition, 'secretEnv'>,
  env: NodeJS.ProcessEnv = process.env,
): SecretSource {
  const names = secretVariables(provider);
  const secrets = [env[names.current], env[names.previous]].filter((value): value is string => !!value);
  const result = Promise.resolve({ secrets });
  return { getSecrets: () => result };
}
