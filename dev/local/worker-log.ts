/**
 * The worker's log messages the local tools learn from (lib/worker/handler.ts writes them): the console's recorder,
 * the human log and the record of what the worker did with each event (`GET /_local/outcomes`, `npm run send`).
 * One home for the texts, so that a change in the worker breaks the tests that run it, not three copies apart.
 */
export const WORKER_LOG = {
  processed: 'Event processed',
  duplicate: 'Event is a duplicate: its handler already ran; acknowledged',
  conflictingDuplicate: 'Event id was handled before with other content: this copy is not run, and is archived marked conflicting-duplicate',
  noHandler: 'No handler is registered for this event type: its events are only logged at DEBUG (lib/handlers/registry.ts)',
  failed: 'Event failed',
  deferred: 'Event not run now; it will be retried',
  poison: 'Message is not an event: moved to the dead-letter queue',
  conversationParked: 'Conversation parked: its event kept failing; it and every later event of its conversation wait for npm run resume',
  eventParked: 'Event parked: its conversation is parked',
  skipped: 'Parked event skipped on resume: its handler does not run',
  failedAgain: 'Resumed event failed again: its conversation is parked again at it',
  reopened: 'Parked conversation resumed: it is open again',
} as const;

/** How the worker was done with an event: it ran it, or found its id handled before (with the same content or another). */
export type DoneOutcome = 'processed' | 'duplicate' | 'conflicting-duplicate';

/** The done outcome a worker log message says, if it says one. */
export function doneOutcome(message: string): DoneOutcome | undefined {
  if (message === WORKER_LOG.processed) return 'processed';
  if (message === WORKER_LOG.duplicate) return 'duplicate';
  if (message === WORKER_LOG.conflictingDuplicate) return 'conflicting-duplicate';
  return undefined;
}
