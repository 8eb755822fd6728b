import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import type { EventType, WebhookEventOf } from '../events/schema.js';

/** What a handler gets besides the event. */
export interface HandlerContext {
  readonly logger: Logger;
  /** The SQS record the event came in, for its attributes (receive count, message id...). */
  readonly record: SQSRecord;
  /**
   * Aborted when the handler's time limit (20 s) is up: pass it to `fetch` and the AWS SDK's `send`. The run then
   * counts as failed whether or not the handler stops, so a handler that ignores it may finish after its retry began.
   */
  readonly signal: AbortSignal;
  /** Milliseconds this run may take before `signal` aborts (at most 20 s, less when the batch's time runs short). */
  readonly timeLimitMs: number;
}

/**
 * Business logic for one event type. Throw to fail the event: it is retried with a backoff, and after the retry
 * policy's last attempt its conversation is parked (it and every later event of it wait, in order, for
 * `npm run resume`); other conversations go on. Throw a `PermanentDeliveryError` (./errors.ts) when trying again
 * cannot help: the conversation is parked at once. A handler that returned runs once per event id within the
 * idempotency window; one that crashes midway runs again, so its own side effects must tolerate a repeat.
 */
export type EventHandler<T extends EventType> = (event: WebhookEventOf<T>, context: HandlerContext) => Promise<void> | void;

/** Handlers by event type; a type without one goes to the default handler. */
export type EventHandlers = { readonly [T in EventType]?: EventHandler<T> };
