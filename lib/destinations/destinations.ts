import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebhookEvent } from '../events/schema.js';
import { GatewayError } from '../events/errors.js';
import type { OutboundPolicy } from '../net/outbound.js';
import { failedTryOf, type FailedTry } from './errors.js';
import { eventBridgeDestination } from './eventbridge.js';
import { httpsDestination } from './https.js';
import { DeliveryMetrics, type MetricsFactory } from './metrics.js';
import { filterMatcher, type DestinationSettings } from './settings.js';
import type { AttemptListener, DeliveryAttempt, DeliveryFate, DeliveryOutcome, DeliveryTarget, SigningSecretSource, WorkerDestinations } from './types.js';

/** What the destinations need besides their settings. */
export interface DestinationsOptions {
  /** The `whsec_…` signing secret(s) of the HTTPS destinations. */
  readonly secrets: SigningSecretSource;
  /** `PUBLIC_HTTPS_ONLY` in AWS, `LOOPBACK_ALLOWED` locally; each destination's `allowAddresses` widens it. */
  readonly policy: OutboundPolicy;
  /** Required when a destination is of type `eventbridge`. */
  readonly eventBridge?: EventBridgeClient | undefined;
  /** Told of every attempt (the local console); must not throw. */
  readonly onAttempt?: AttemptListener | undefined;
  readonly logger: Logger;
  /** Per-destination metrics (`createMetrics` in AWS); none locally. */
  readonly metrics?: MetricsFactory | undefined;
}

/** The settings ask for what the options lack (an EventBridge destination without a client). */
class DestinationSetupError extends GatewayError<'destination_setup'> {
  override readonly name: string = 'DestinationSetupError';

  constructor(message: string) {
    super('destination_setup', message);
  }
}

/** Failures remembered per event and destination, so a later delivery knows its attempt number; bounded. */
const REMEMBERED_FAILURES = 10_000;

/**
 * The destinations of the settings, for `createWorkerHandler({ destinations })`: each event goes to every destination
 * whose filter takes it, through the worker's idempotency (each destination once per event), order per conversation,
 * retries and parking.
 *
 * @example
 * const destinations = createDestinations(settings, { secrets, policy: PUBLIC_HTTPS_ONLY, logger });
 * export const handler = createWorkerHandler({ handlers, destinations, ... });
 */
export function createDestinations(settings: readonly DestinationSettings[], options: DestinationsOptions): WorkerDestinations {
  const metrics = new DeliveryMetrics(options.metrics);
  const failures = new Map<string, number>();
  const failureKey = (destination: string, eventId: string) => `${destination}\u0000${eventId}`;

  function report(attempt: DeliveryAttempt): void {
    const keys = { destination: attempt.destination, eventId: attempt.eventId, type: attempt.type, provider: attempt.provider, attempt: attempt.attempt, outcome: attempt.outcome, status: attempt.status, latencyMs: attempt.latencyMs, nextRetryAt: attempt.nextRetryAt };
    if (attempt.outcome === 'delivered') options.logger.info('Event delivered', keys);
    else options.logger.warn('Delivery failed', { ...keys, error: attempt.error });
    try {
      options.onAttempt?.(attempt);
    } catch (error) {
      options.logger.error('The attempt listener threw', { error });
    }
  }

  function delivered(destination: string) {
    return (event: WebhookEvent, { status, latencyMs }: { readonly status?: number; readonly latencyMs: number }) => {
      const key = failureKey(destination, event.id);
      const attempt = (failures.get(key) ?? 0) + 1;
      failures.delete(key);
      metrics.delivered(destination, latencyMs);
      report({ destination, eventId: event.id, type: event.type, provider: event.provider, attempt, outcome: 'delivered', status, latencyMs, at: new Date().toISOString() });
    };
  }

  const targets = settings.map((destination) => {
    const deps = { delivered: delivered(destination.name), sent: () => metrics.sent(destination.name) };
    let target: DeliveryTarget;
    if (destination.type === 'https') {
      target = httpsDestination(destination, { ...deps, secrets: options.secrets, policy: options.policy });
    } else {
      if (!options.eventBridge) throw new DestinationSetupError(`Destination ${destination.name} is of type eventbridge, but no EventBridge client was given`);
      target = eventBridgeDestination(destination, options.eventBridge, deps);
    }
    return { target, matches: filterMatcher(destination.filter) };
  });

  return {
    matching: (event) => targets.filter(({ matches }) => matches(event)).map(({ target }) => target),

    settle(event: WebhookEvent, error: unknown, fate: DeliveryFate) {
      const failed: FailedTry | undefined = failedTryOf(error);
      if (!failed) return;
      const key = failureKey(failed.destination, event.id);
      if ('parked' in fate) failures.delete(key);
      else {
        if (failures.size >= REMEMBERED_FAILURES) failures.delete(failures.keys().next().value ?? '');
        failures.set(key, fate.attempts);
      }
      metrics.failed(failed.destination, failed.latencyMs, failed.acceptedAt);
      const outcome: DeliveryOutcome = failed.kind !== 'failure' ? failed.kind : 'parked' in fate ? 'failed' : 'retry';
      report({
        destination: failed.destination,
        eventId: event.id,
        type: event.type,
        provider: event.provider,
        attempt: fate.attempts,
        outcome,
        status: failed.status,
        latencyMs: failed.latencyMs,
        nextRetryAt: 'nextRetryAt' in fate ? fate.nextRetryAt.toISOString() : undefined,
        error: failed.error,
        at: failed.at,
      });
    },

    publishMetrics: () => metrics.publish(),
  };
}
