import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import type { EventType, WebhookEventOf } from '../events/schema.js';

/** What a handler gets besides the event. */
export interface HandlerContext {
  readonly logger: Logger;
  /** The SQS record the event came in, for its attributes (receive count, message id...). */
  readonly record: SQSRecord;
}

/**
 * Business logic for one event type. Throw to fail the event: it is retried, and after the queue's
 * `maxReceiveCount` it moves to the dead-letter queue. A handler that returned runs once per event id within the
 * idempotency window; one that crashes midway runs again, so its own side effects must tolerate a repeat.
 */
export type EventHandler<T extends EventType> = (event: WebhookEventOf<T>, context: HandlerContext) => Promise<void> | void;

/** Handlers by event type; a type without one goes to the default handler. */
export type EventHandlers = { readonly [T in EventType]?: EventHandler<T> };
