import type { ProviderDefinition } from '../providers/types.js';
import { secretVariables } from '../secrets/environment.js';

/** The port of the local runtime: `PORT`, default 3000. */
export function localPort(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return port;
}

/** The secret the local runtime uses for a provider: its variable, or the labelled development default. */
export function localSecret(provider: ProviderDefinition, env: NodeJS.ProcessEnv = process.env): string {
  return env[secretVariables(provider).current] || provider.developmentSecret;
}
