/**
 * The names the functions publish under and the CDK stack's alarms and dashboard read: one definition,
 * so a renamed metric cannot silently leave an alarm watching nothing.
 */

/** CloudWatch namespace of the custom metrics (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'ChatWebhookGateway';
/** Powertools service name: the `service` key of every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = 'chat-webhook-gateway';

/**
 * Custom metrics (EMF, via Powertools Metrics). Every metric carries the `service` dimension.
 *
 * Receivers (one function per provider), dimensions `{service, provider}`:
 * - `WebhooksReceived` (Count): every request that reached a receiver.
 * - `WebhooksRejected` (Count): answered 401 (also published with `{service, provider, reason}`, the
 *   verification failure reason: `missing_signature`, `malformed_signature`, `signature_mismatch`).
 * - `EventsEnqueued` (Count): accepted, in the queue, answered 200.
 * - `EnqueueFailures` (Count): answered 503 because SQS did not take the event.
 * - `AnswerTime` (Milliseconds): from the handler's start to its answer.
 * - `EnqueueDuration` (Milliseconds): each `SendMessage` of an event, from its start to its answer or failure
 *   (the SDK's retry included); the dashboard shows p50/p99 and an alarm watches p99 against the answer budget.
 *
 * Worker, dimensions `{service}` (for alarms) and `{service, provider, type}` (for the dashboard):
 * - `EventsProcessed` (Count): an event's handler succeeded.
 * - `EventsFailed` (Count): a run of an event's handler failed (it is retried, then its conversation parked).
 * - `DuplicateEvents` (Count): an event whose handler had already run (a completed idempotency record): acknowledged.
 * - `ConflictingDuplicates` (Count): an event whose id was handled before with other content: not run, archived marked.
 * - `EventsParked` (Count): an event kept in the park store, its conversation parked.
 * - `ParkedConversations` (Count, `{service}` only): conversations parked in the period (their handler kept failing).
 * - `ParkedEventsSkipped` (Count): a parked failing event dropped by `npm run resume --skip`.
 * - `MessagesDeadLettered` (Count): a queue message that is no event, moved to the dead-letter queue by the worker.
 *
 * Worker, media (`lib/media`), dimensions `{service}`:
 * - `MediaStored` (Count): an attachment's file downloaded and stored in the archive bucket.
 * - `MediaBytes` (Bytes): the bytes of those files.
 * - `MediaFailed` (Count): an attachment whose file could not be stored after its retries (the event went on with `stored: null`).
 * Worker, per destination of the settings, dimensions `{service, destination}`:
 * - `Delivered` (Count): an event the destination accepted (2xx, or an entry the bus took).
 * - `DeliveryFailed` (Count): a try that did not deliver (retryable or permanent, an open circuit included).
 * - `DeliveryAttempts` (Count): requests sent (an open circuit sends none).
 * - `DeliveryLatency` (Milliseconds): each try, from its start to its answer or failure (p50/p99 on the dashboard).
 * - `UndeliveredAge` (Seconds): how long ago the oldest event that failed to deliver was accepted; an alarm watches it.
 */
export const MetricNames = {
  received: 'WebhooksReceived',
  rejected: 'WebhooksRejected',
  enqueued: 'EventsEnqueued',
  enqueueFailures: 'EnqueueFailures',
  answerTime: 'AnswerTime',
  enqueueDuration: 'EnqueueDuration',
  processed: 'EventsProcessed',
  failed: 'EventsFailed',
  duplicate: 'DuplicateEvents',
  conflicting: 'ConflictingDuplicates',
  parked: 'EventsParked',
  parkedConversations: 'ParkedConversations',
  skipped: 'ParkedEventsSkipped',
  deadLettered: 'MessagesDeadLettered',
  mediaStored: 'MediaStored',
  mediaBytes: 'MediaBytes',
  mediaFailed: 'MediaFailed',
  delivered: 'Delivered',
  deliveryFailed: 'DeliveryFailed',
  deliveryAttempts: 'DeliveryAttempts',
  deliveryLatency: 'DeliveryLatency',
  undeliveredAge: 'UndeliveredAge',
} as const;
