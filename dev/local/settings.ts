import { devProvider } from '../providers.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { readEnvironmentSecrets } from './secrets.js';
import { localRetryPolicy, RetryPolicyError, retryPolicyFromEnv, type RetryPolicy } from '../../lib/parking/retry-policy.js';

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
 * The SQS endpoint to use instead of the embedded server: `SQS_ENDPOINT`, an http(s) URL; undefined when unset.
 * Without a scheme (`localhost:4149`) the SDK would read `localhost` as the scheme and call port 80 of a host
 * named `4149`, so that is refused here.
 *
 * @throws LocalSettingError when `SQS_ENDPOINT` is no http(s) URL
 */
export function localSqsEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.SQS_ENDPOINT;
  if (value === undefined || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new LocalSettingError(`SQS_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4149, not "${value}"`);
  }
  return value;
}

/**
 * Concurrent worker invocations: `WORKER_CONCURRENCY`, default 4.
 *
 * @throws LocalSettingError when it is no positive integer
 */
export function localWorkerConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.WORKER_CONCURRENCY;
  if (value === undefined || value === '') return 4;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new LocalSettingError(`WORKER_CONCURRENCY must be a positive integer, not "${value}"`);
  return number;
}

/**
 * How a failing event is retried before its conversation parks: `RETRY_ATTEMPTS`, `RETRY_FIRST_DELAY_SECONDS` and
 * `RETRY_BACKOFF_RATE`, the worker's own variables, over the local policy (5 runs after 1, 2, 4 and 8 s).
 *
 * @throws LocalSettingError naming the variable when one is unusable
 */
export function localRetryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  try {
    return retryPolicyFromEnv(env, localRetryPolicy);
  } catch (error) {
    if (!(error instanceof RetryPolicyError)) throw error;
    throw new LocalSettingError(error.message, { cause: error });
  }
}

/** The base URL the local tools (`send`, `redrive`, `load`) talk to: `SEND_URL`, else `http://127.0.0.1:$PORT`. */
export function localUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.SEND_URL || `http://127.0.0.1:${String(localPort(env))}`).replace(/\/$/, '');
}

/**
 * A local tool's command line (`npm run send -- qikchat`) that reaches the runtime at `url`: as is on the default
 * port, with `PORT=` on another port of this machine, with `SEND_URL=` elsewhere.
 *
 * @example toolCommand('http://127.0.0.1:4000', 'npm run send -- qikchat') // 'PORT=4000 npm run send -- qikchat'
 */
export function toolCommand(url: string, command: string): string {
  const { hostname, port } = new URL(url);
  const local = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '0.0.0.0' || hostname === '[::]' || hostname === '[::1]';
  if (local && (port === '3000' || port === '')) return command;
  return local ? `PORT=${port} ${command}` : `SEND_URL=${url} ${command}`;
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
