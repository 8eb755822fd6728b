import { devProvider } from '../providers.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { readEnvironmentSecrets } from './secrets.js';

/** A setting the local runtime cannot use; the message is the one line to show. */
export class LocalSettingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalSettingError';
  }
}

/**
 * The port of the local runtime: `PORT`, default 3000.
 *
 * @throws LocalSettingError when `PORT` is no port number
 */
export function localPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalSettingError(`PORT must be a port number, not "${String(env.PORT)}"`);
  return port;
}

/**
 * The secret the local tools sign with for a provider: its variable, or the labelled development default when
 * neither it nor its `_PREVIOUS` is set.
 *
 * @throws SecretVariableError when a variable is set but unusable
 */
export function localSecret(provider: Pick<ProviderDefinition, 'slug'>, env: NodeJS.ProcessEnv = process.env): string {
  const data = devProvider(provider);
  return readEnvironmentSecrets(data, env).secrets[0] ?? data.developmentSecret;
}
