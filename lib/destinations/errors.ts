import { GatewayError } from '../events/errors.js';
import { PermanentDeliveryError } from '../handlers/errors.js';
import type { HandlerContext } from '../handlers/types.js';
import type { DeliveryOutcome } from './types.js';

/** What a failed try was, before the worker decides its fate (retry or park): the attempt less its outcome and next retry. */
export interface FailedTry {
  readonly destination: string;
  /** `circuit-open` and `refused` keep their outcome whatever the fate; `failure` becomes `retry` or `failed`. */
  readonly kind: Extract<DeliveryOutcome, 'circuit-open' | 'refused'> | 'failure';
  readonly status?: number | undefined;
  readonly latencyMs: number;
  readonly error: string;
  readonly at: string;
  /** When the gateway accepted the event (ms since the epoch), for the undelivered-age metric. */
  readonly acceptedAt?: number | undefined;
}

/** One try of a destination, timed from its start. */
export interface DestinationTry {
  /** Milliseconds since the try started. */
  latencyMs(): number;
  /** The try's failure, with its latency and when the gateway accepted the event (the SQS message's `SentTimestamp`). */
  failed(kind: FailedTry['kind'], error: string, status?: number): FailedTry;
}

/** Starts the clock of one try of `destination` for the event of `context`. */
export function startTry(destination: string, context: HandlerContext): DestinationTry {
  const started = performance.now();
  const sent = Number(context.record.attributes.SentTimestamp);
  const acceptedAt = Number.isFinite(sent) && sent > 0 ? sent : undefined;
  const latencyMs = () => Math.round(performance.now() - started);
  return { latencyMs, failed: (kind, error, status) => ({ destination, kind, status, latencyMs: latencyMs(), error, at: new Date().toISOString(), acceptedAt }) };
}

type RetryableReason = 'delivery_failed' | 'delivery_timeout' | 'circuit_open';

/**
 * A delivery that may succeed later (5xx, 408, 429, a time-out, no connection, an open circuit): the event fails like
 * a throwing handler and is retried with the policy's backoff, or after `retryAfterSeconds` when the endpoint asked
 * for longer.
 */
export class DeliveryFailedError extends GatewayError<RetryableReason> {
  override readonly name: string = 'DeliveryFailedError';

  constructor(
    reason: RetryableReason,
    message: string,
    readonly failedTry: FailedTry,
    readonly retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(reason, message, options);
  }
}

/** A delivery that cannot succeed as it is (another 4xx, a 3xx, an address the policy refuses): parks the conversation at once. */
export class DeliveryRejectedError extends PermanentDeliveryError {
  override readonly name: string = 'DeliveryRejectedError';

  constructor(
    message: string,
    readonly failedTry: FailedTry,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The failed try an error carries, if it is a destination's. */
export function failedTryOf(error: unknown): FailedTry | undefined {
  return error instanceof DeliveryFailedError || error instanceof DeliveryRejectedError ? error.failedTry : undefined;
}
