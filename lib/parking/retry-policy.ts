import { GatewayError } from '../events/errors.js';

/**
 * How an event whose handler fails is retried before its conversation is parked: `attempts` runs in all, the
 * n-th retry `firstDelaySeconds × backoffRate^(n-1)` later (at most `maximumDelaySeconds`). The names are
 * Step Functions' (`MaxAttempts`, `IntervalSeconds`, `BackoffRate`).
 */
export interface RetryPolicy {
  /** Runs of the handler before the conversation is parked (the first run included). */
  readonly attempts: number;
  readonly firstDelaySeconds: number;
  readonly backoffRate: number;
  /** SQS's longest visibility timeout is 12 hours. */
  readonly maximumDelaySeconds: number;
}

/** In AWS: 5 runs, retried after 60 s, 120 s, 240 s and 480 s, so a conversation parks 15 minutes after its first failure. */
export const retryPolicy: RetryPolicy = { attempts: 5, firstDelaySeconds: 60, backoffRate: 2, maximumDelaySeconds: 43_200 };

/** Locally: the same 5 runs, 60 times faster (after 1, 2, 4 and 8 s), so a failing handler parks its conversation within about 20 s. */
export const localRetryPolicy: RetryPolicy = { ...retryPolicy, firstDelaySeconds: 1 };

/** Seconds to wait after the `failures`-th failure before the next run. */
export function retryDelaySeconds(policy: RetryPolicy, failures: number): number {
  const delay = policy.firstDelaySeconds * policy.backoffRate ** Math.max(0, failures - 1);
  return Math.min(policy.maximumDelaySeconds, Math.round(delay));
}

/** The worker's variables that override {@link retryPolicy} (the stack sets them from its settings). */
export const RETRY_VARIABLES = {
  attempts: 'RETRY_ATTEMPTS',
  firstDelaySeconds: 'RETRY_FIRST_DELAY_SECONDS',
  backoffRate: 'RETRY_BACKOFF_RATE',
} as const;

/** A retry variable is unusable: the worker does not start with a policy it cannot follow. */
export class RetryPolicyError extends GatewayError<'retry_policy'> {
  override readonly name: string = 'RetryPolicyError';

  constructor(message: string) {
    super('retry_policy', message);
  }
}

/** How a policy's fields are named in what the user wrote: its settings, or the worker's variables. */
type FieldNames = { readonly [K in keyof typeof RETRY_VARIABLES]: string };
const SETTING_NAMES: FieldNames = { attempts: 'retry attempts', firstDelaySeconds: 'the first retry delay', backoffRate: 'the retry backoff rate' };

/**
 * A policy checked for what SQS and the park rules need: 1 to 50 runs, delays within 0 s to 12 hours, a rate of 1 to 10.
 *
 * @throws RetryPolicyError naming the setting and what it must be
 */
export function checkedRetryPolicy(policy: RetryPolicy, names: FieldNames = SETTING_NAMES): RetryPolicy {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1 || policy.attempts > 50) {
    throw new RetryPolicyError(`${names.attempts} must be a whole number from 1 to 50, not ${String(policy.attempts)}`);
  }
  if (!Number.isFinite(policy.firstDelaySeconds) || policy.firstDelaySeconds < 0 || policy.firstDelaySeconds > policy.maximumDelaySeconds) {
    throw new RetryPolicyError(`${names.firstDelaySeconds} must be 0 to ${String(policy.maximumDelaySeconds)} seconds, not ${String(policy.firstDelaySeconds)}`);
  }
  if (!Number.isFinite(policy.backoffRate) || policy.backoffRate < 1 || policy.backoffRate > 10) {
    throw new RetryPolicyError(`${names.backoffRate} must be a number from 1 to 10, not ${String(policy.backoffRate)}`);
  }
  return policy;
}

/**
 * The policy from the worker's environment: `defaults` where a variable is unset.
 *
 * @throws RetryPolicyError naming the variable when one is unusable
 */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env, defaults: RetryPolicy = retryPolicy): RetryPolicy {
  const read = (field: keyof typeof RETRY_VARIABLES): number => {
    const value = env[RETRY_VARIABLES[field]];
    if (value === undefined || value === '') return defaults[field];
    const number = Number(value);
    if (!Number.isFinite(number)) throw new RetryPolicyError(`${RETRY_VARIABLES[field]} must be a number, not "${value}"`);
    return number;
  };
  return checkedRetryPolicy({ ...defaults, attempts: read('attempts'), firstDelaySeconds: read('firstDelaySeconds'), backoffRate: read('backoffRate') }, RETRY_VARIABLES);
}
