import { isIP } from 'node:net';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { devProvider } from '../providers.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { VerificationMode } from '../../lib/receiver/verification-mode.js';
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

/** Whether `value` is an http(s) URL with a host (`localhost:3000` is not: the URL parser reads `localhost` as its scheme). */
function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * The base URL the local tools (`send`, `redrive`, `load`) talk to: `SEND_URL`, else `http://127.0.0.1:$PORT`.
 *
 * @throws LocalSettingError when `SEND_URL` is no http(s) URL, or `PORT` no port number
 */
export function localUrl(env: NodeJS.ProcessEnv = process.env): string {
  const sendUrl = env.SEND_URL;
  if (sendUrl && !isHttpUrl(sendUrl)) throw new LocalSettingError(`SEND_URL must be an http(s) URL such as http://127.0.0.1:3000, not "${sendUrl}"`);
  return (sendUrl || `http://127.0.0.1:${String(localPort(env))}`).replace(/\/$/, '');
}

/**
 * The interface `npm start` listens on: `HOST`, default 127.0.0.1. Loopback only (127.0.0.0/8, ::1, localhost): the
 * receivers, the console and its state-changing routes are for this machine, never the network.
 *
 * @throws LocalSettingError when `HOST` is not a loopback address
 */
export function localHost(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.HOST;
  if (value === undefined || value === '') return '127.0.0.1';
  const loopback = value === 'localhost' || value === '::1' || (isIP(value) === 4 && value.startsWith('127.'));
  if (!loopback) throw new LocalSettingError(hostAdvice(value));
  return value;
}

/** What to say of a `HOST` that cannot be listened on. */
export function hostAdvice(value: string): string {
  return `HOST must be a loopback address, 127.0.0.1 (the default), ::1 or localhost: the local runtime is not for the network; not "${value}"`;
}

/**
 * The Powertools log level of `npm start`: `POWERTOOLS_LOG_LEVEL` (or `value` from another option), any case, default
 * INFO. Powertools itself would take an unknown level as INFO without a word.
 *
 * @throws LocalSettingError naming `name` and the levels when it is none of them
 */
export function localLogLevel(value: string | undefined, name = 'POWERTOOLS_LOG_LEVEL'): string {
  if (value === undefined || value === '') return 'INFO';
  const levels = Object.keys(LogLevelThreshold);
  if (!levels.includes(value.toUpperCase())) throw new LocalSettingError(`${name} must be one of ${levels.join(', ')}, not "${value}"`);
  return value.toUpperCase();
}

/** The variable that turns signature verification off for one provider locally, e.g. `QIKCHAT_SIGNATURE_VERIFICATION`. */
function verificationVariable(provider: Pick<ProviderDefinition, 'slug'>): string {
  return `${provider.slug.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_SIGNATURE_VERIFICATION`;
}

/**
 * A provider's signature verification locally: `<PROVIDER>_SIGNATURE_VERIFICATION`, `enforced` (the default) or
 * `disabled`. Anything else (`off`, `false`, `DISABLED`) is refused: the receiver would take it as enforced without a
 * word, and whoever set it believes checks are off.
 *
 * @throws LocalSettingError naming the variable and the two values
 */
export function localVerificationMode(provider: Pick<ProviderDefinition, 'slug'>, env: NodeJS.ProcessEnv = process.env): VerificationMode {
  const variable = verificationVariable(provider);
  const value = env[variable];
  if (value === undefined || value === '' || value === 'enforced') return 'enforced';
  if (value === 'disabled') return 'disabled';
  throw new LocalSettingError(`${variable} must be "enforced" or "disabled" (to accept unsigned deliveries), not "${value}"`);
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
