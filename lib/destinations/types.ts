import type { WebhookEvent } from '../events/schema.js';
import type { HandlerContext } from '../handlers/types.js';
import type { SecretSource } from '../secrets/types.js';

/**
 * What one try of delivering one event to one destination came to: `delivered` (2xx, or accepted by the bus);
 * `retry` (a retryable failure: 5xx, 408, 429, a time-out, no connection; tried again at `nextRetryAt`); `failed`
 * (a permanent failure, or a retryable one with no attempt left: the conversation is parked); `refused` (the
 * address policy refused the URL: parked); `circuit-open` (no request sent, the destination's circuit is open).
 */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'refused' | 'circuit-open';

/** One delivery attempt, as the console and the logs show it. Ids, type and numbers only: no content. */
export interface DeliveryAttempt {
  /** The destination's name. */
  readonly destination: string;
  readonly eventId: string;
  readonly type: string;
  readonly provider: string;
  /** 1 for the first try of this event at this destination (as counted by the park store's failure count). */
  readonly attempt: number;
  readonly outcome: DeliveryOutcome;
  /** The endpoint's HTTP status, when it answered. */
  readonly status?: number | undefined;
  /** From the start of the request (or the wait for a slot) to its answer or failure. */
  readonly latencyMs: number;
  /** When the event is tried again (ISO 8601), for `retry` and `circuit-open`. */
  readonly nextRetryAt?: string | undefined;
  /** Why it was not delivered: one line, never a secret nor the body. */
  readonly error?: string | undefined;
  /** When the attempt ended (ISO 8601). */
  readonly at: string;
}

/** Told of every delivery attempt once its outcome is known (the local console lists them). Must not throw. */
export type AttemptListener = (attempt: DeliveryAttempt) => void;

/**
 * The outbound signing secret: `whsec_<base64 key>`, current first, then the previous one during a rotation (an
 * HTTPS destination then sends both signatures). Secrets Manager in AWS (`{"current","previous"}`, like the
 * providers' secrets), `DESTINATION_SECRET` locally.
 */
export type SigningSecretSource = SecretSource;

/** What became of an event whose delivery failed, once the worker decided: tried again then, or its conversation parked. */
export type DeliveryFate = { readonly nextRetryAt: Date; readonly attempts: number } | { readonly parked: true; readonly attempts: number };

/** One destination as the worker runs it: a handler the settings made, with its own idempotency key. */
export interface DeliveryTarget {
  /** The destination's name (unique). */
  readonly name: string;
  /** Delivers once; resolves when accepted, throws a retryable `DeliveryFailedError` or a `PermanentDeliveryError`. */
  deliver(event: WebhookEvent, context: HandlerContext): Promise<void>;
}

/** The destinations as the worker sees them (`createWorkerHandler({ destinations })`). */
export interface WorkerDestinations {
  /** The destinations whose filter takes the event, in settings order. */
  matching(event: WebhookEvent): readonly DeliveryTarget[];
  /** Reports a failed delivery's attempt once the worker decided its fate; ignores errors that are no delivery's. */
  settle(event: WebhookEvent, error: unknown, fate: DeliveryFate): void;
  /** Publishes the per-destination metrics gathered since the last call (the worker calls it once per batch). */
  publishMetrics?(): void;
}
