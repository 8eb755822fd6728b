/**
 * The worker's log messages, in one home: the worker writes them, and the local tools learn from them (the console's
 * recorder, the human log, `GET /_local/outcomes` and `npm run send`).
 */
export const WORKER_LOG = {
  processed: 'Event processed',
  duplicate: 'Event is a duplicate: its handler already ran; acknowledged',
  conflictingDuplicate: 'Event id was handled before with other content: this copy is not run, and is archived marked conflicting-duplicate',
  ranBesideCopy: 'Event id ran twice: a copy with other content, in another conversation, completed while this one ran; the record keeps the first',
  noHandler: 'No handler is registered for this event type: its events are only logged at DEBUG (lib/handlers/registry.ts)',
  failed: 'Event failed',
  deferred: 'Event not run now; it will be retried',
  poison: 'Message is not an event: moved to the dead-letter queue',
  conversationParked: 'Conversation parked: its event kept failing; it and every later event of its conversation wait for npm run resume',
  eventParked: 'Event parked: its conversation is parked',
  skipped: 'Parked event skipped on resume: its handler does not run',
  failedAgain: 'Resumed event failed again: its conversation is parked again at it',
  reopened: 'Parked conversation resumed: it is open again',
  mediaStored: "Attachment stored in the archive bucket: the handler gets it as the attachment's stored",
  mediaFailed: 'Attachment not stored: the event goes on with stored null and storeFailure (the URL may still work)',
} as const;
