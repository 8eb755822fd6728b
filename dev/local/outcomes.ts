/**
 * `GET /_local/outcomes?id=&limit=`: what the worker did with each event it was done with, in this run of the
 * runtime, oldest first: ran it (with its handler, or only logged it when none is registered for its type), or
 * acknowledged it as a duplicate of an event handled before (in this run or an earlier one: the idempotency
 * records are kept in `.local/`). `npm run send` reads it to say which. `GET /_local/events` lists the processed
 * events only, as before.
 */
import { doneOutcome, type DoneOutcome } from './worker-log.js';
import { InspectQueryError } from './server.js';

/** One event the worker was done with. */
export interface WorkerOutcome {
  readonly eventId: string;
  readonly provider: string | undefined;
  readonly type: string | undefined;
  /**
   * `processed`: the worker ran it now; `duplicate`: its id was handled before with the same content, so it was
   * acknowledged without running; `conflicting-duplicate`: its id was handled before with other content: not run,
   * archived marked `conflicting-duplicate`.
   */
  readonly outcome: DoneOutcome;
  /** Whether a handler is registered for its type; when not, a processed event was only logged (at DEBUG). */
  readonly handler: boolean;
  /** When the worker said so (ISO). */
  readonly at: string;
}

export interface WorkerOutcomes {
  /** A log item of the worker: a done one is recorded. */
  logged(message: string, attributes: Readonly<Record<string, unknown>>): void;
  /** The outcomes that match `?id=` (an event id) and `?limit=` (the newest n), oldest first. */
  query(parameters: URLSearchParams): WorkerOutcome[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A bounded record of the worker's outcomes; the oldest are dropped first.
 *
 * @param hasHandler whether a handler is registered for an event type (the runtime's handlers)
 * @example const outcomes = createWorkerOutcomes((type) => type in handlers);
 */
export function createWorkerOutcomes(hasHandler: (type: string) => boolean, limit = 200_000): WorkerOutcomes {
  const recorded: WorkerOutcome[] = [];
  return {
    logged(message, attributes) {
      const outcome = doneOutcome(message);
      const eventId = text(attributes.eventId);
      if (outcome === undefined || eventId === undefined) return;
      const type = text(attributes.type);
      recorded.push({ eventId, provider: text(attributes.provider), type, outcome, handler: type !== undefined && hasHandler(type), at: new Date().toISOString() });
      if (recorded.length > limit) recorded.shift();
    },
    query(parameters) {
      const limitText = parameters.get('limit');
      const count = limitText === null ? undefined : Number(limitText);
      if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new InspectQueryError(`limit must be a positive integer, not "${String(limitText)}"`);
      const id = parameters.get('id') || undefined;
      const matching = id === undefined ? recorded : recorded.filter((outcome) => outcome.eventId === id);
      return count === undefined ? [...matching] : matching.slice(-count);
    },
  };
}
