import type { WebhookEvent } from '../events/schema.js';
import { isTransientStatus, outboundRequest, OutboundRefusedError, type OutboundPolicy } from '../net/outbound.js';
import { CircuitBreaker } from './circuit.js';
import { DeliveryFailedError, DeliveryRejectedError, startTry } from './errors.js';
import { retryAfterSeconds } from './retry-after.js';
import { Semaphore } from './semaphore.js';
import type { HttpsDestination } from './settings.js';
import { webhookHeaders } from './signing.js';
import type { DeliveryTarget, SigningSecretSource } from './types.js';

/** Kept from the run's time limit so that a request ends (and reports its attempt) before the worker's limit fires. */
const MARGIN_MS = 250;

/** What an HTTPS destination needs besides its settings. */
export interface HttpsDestinationDeps {
  readonly secrets: SigningSecretSource;
  /** The address policy; the destination's `allowAddresses` widen it. */
  readonly policy: OutboundPolicy;
  /** Told of each delivered event (failures are reported by the worker, once it decided their fate). */
  readonly delivered: (event: WebhookEvent, attempt: { readonly status: number; readonly latencyMs: number }) => void;
  /** Told of each request sent (the attempts metric), whatever came of it. */
  readonly sent: () => void;
}

/** A status the endpoint may answer differently later: a transient one, or anything that is no final HTTP status. */
function isRetryableStatus(status: number): boolean {
  return isTransientStatus(status) || status < 200;
}

/**
 * An HTTPS destination: each event POSTed as a structured CloudEvent (`application/cloudevents+json`), signed the
 * Standard Webhooks way, through {@link outboundRequest} under the address policy (no redirect followed). 2xx
 * delivers; 408, 429, 5xx, a time-out or no connection is retryable ({@link DeliveryFailedError}, with the endpoint's
 * `Retry-After`); any other status, and an address the policy refuses, is permanent ({@link DeliveryRejectedError}).
 * Per worker instance: at most `maxConcurrency` requests in flight, and a circuit breaker.
 */
export function httpsDestination(settings: HttpsDestination, deps: HttpsDestinationDeps): DeliveryTarget {
  const url = new URL(settings.url);
  const policy: OutboundPolicy = { ...deps.policy, allowAddresses: [...deps.policy.allowAddresses, ...(settings.allowAddresses ?? [])] };
  const slots = new Semaphore(settings.maxConcurrency);
  const circuit = new CircuitBreaker(settings.circuitFailures, settings.circuitCoolDownSeconds * 1_000);
  const destination = settings.name;

  return {
    name: destination,
    async deliver(event, context) {
      const attempt = startTry(destination, context);
      if (!circuit.tryAcquire()) {
        const retryAt = circuit.retryAt();
        const waitSeconds = retryAt === undefined ? undefined : Math.max(0, Math.ceil((retryAt - Date.now()) / 1_000));
        throw new DeliveryFailedError('circuit_open', `The circuit of destination ${destination} is open: no request sent`, attempt.failed('circuit-open', 'circuit open'), waitSeconds);
      }
      const limitMs = Math.max(1, Math.min(settings.timeoutMs, context.timeLimitMs - MARGIN_MS));
      const signal = AbortSignal.any([context.signal, AbortSignal.timeout(limitMs)]);
      let settled = false;
      try {
        await slots.acquire(signal);
      } catch (error) {
        circuit.failed();
        throw new DeliveryFailedError('delivery_timeout', `No free slot for destination ${destination} within ${String(limitMs)} ms`, attempt.failed('failure', 'no free slot in time'), undefined, { cause: error });
      }
      try {
        const { secrets } = await deps.secrets.getSecrets({ signal });
        const body = JSON.stringify(event);
        const headers = {
          'content-type': 'application/cloudevents+json',
          'user-agent': 'chat-webhook-gateway',
          ...webhookHeaders(secrets, event.id, Math.floor(Date.now() / 1_000), body),
        };
        deps.sent();
        const response = await outboundRequest(url, { method: 'POST', headers, body, signal, timeoutMs: limitMs }, policy);
        // Only the status counts: the body is drained so the connection is reused, never read into a log.
        response.body.resume();
        const { status } = response;
        if (status >= 200 && status < 300) {
          circuit.succeeded();
          settled = true;
          deps.delivered(event, { status, latencyMs: attempt.latencyMs() });
          return;
        }
        if (isRetryableStatus(status)) {
          circuit.failed();
          settled = true;
          throw new DeliveryFailedError('delivery_failed', `Destination ${destination} answered ${String(status)}`, attempt.failed('failure', `HTTP ${String(status)}`, status), retryAfterSeconds(response.headers['retry-after']));
        }
        // Up, but refusing this event for good: the circuit stays closed, the conversation parks.
        circuit.succeeded();
        settled = true;
        const why = status >= 300 && status < 400 ? `redirected (${String(status)}); redirects are not followed` : `answered ${String(status)}`;
        throw new DeliveryRejectedError(`Destination ${destination} ${why}`, attempt.failed('failure', `HTTP ${String(status)}`, status));
      } catch (error) {
        if (settled) throw error;
        if (error instanceof OutboundRefusedError) {
          circuit.abandoned();
          throw new DeliveryRejectedError(`Destination ${destination} refused by the address policy: ${error.message}`, attempt.failed('refused', error.reason), { cause: error });
        }
        circuit.failed();
        const timedOut = signal.aborted;
        const message = timedOut ? `no answer within ${String(limitMs)} ms` : error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
        throw new DeliveryFailedError(timedOut ? 'delivery_timeout' : 'delivery_failed', `Delivery to destination ${destination} failed: ${message}`, attempt.failed('failure', message), undefined, { cause: error });
      } finally {
        slots.release();
      }
    },
  };
}
