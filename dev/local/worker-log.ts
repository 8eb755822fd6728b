/**
 * What the local tools read from the worker's log messages (`lib/worker/log-messages.ts`, the one home of their texts).
 */
import { WORKER_LOG } from '../../lib/worker/log-messages.js';

export { WORKER_LOG };

/** How the worker was done with an event: it ran it, or found its id handled before (with the same content or another). */
export type DoneOutcome = 'processed' | 'duplicate' | 'conflicting-duplicate';

/** The done outcome a worker log message says, if it says one. */
export function doneOutcome(message: string): DoneOutcome | undefined {
  if (message === WORKER_LOG.processed) return 'processed';
  if (message === WORKER_LOG.duplicate) return 'duplicate';
  if (message === WORKER_LOG.conflictingDuplicate) return 'conflicting-duplicate';
  return undefined;
}
