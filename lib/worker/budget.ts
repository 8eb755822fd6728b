import type { Context } from 'aws-lambda';
import { budgetSignal } from '../queue/sqs-client.js';

/**
 * How the worker spends its time (the function's timeout, 60 s): every wait is bounded, so a stalled dependency
 * takes its failure path and never a Lambda timeout, which would send the whole batch back to the queue.
 */
export const WORKER_BUDGET = {
  /** Kept for the end: the visibility changes, the metrics and the answer. */
  reserveMs: 5_000,
  /** The archive write of a batch. */
  archiveMs: 6_000,
  /** One park store or SQS step (two attempts of 3 s). */
  stepMs: 6_500,
  /** One run of a handler; its `signal` aborts then, and the run counts as failed. */
  handlerMs: 20_000,
  /** What an event needs besides its handler: the idempotency record before and after, and a park if it fails. */
  aroundHandlerMs: 15_000,
  /** What storing an event's media leaves its handler at least (the media time limit is a setting, `mediaTimeLimitSeconds`). */
  handlerAfterMediaMs: 10_000,
} as const;

/** The time left in one invocation. */
export class Budget {
  readonly #context: Context;

  constructor(context: Context) {
    this.#context = context;
  }

  /** Milliseconds left before the reserve. */
  left(): number {
    return this.#context.getRemainingTimeInMillis() - WORKER_BUDGET.reserveMs;
  }

  /** A signal for one step of at most `maxMs`, cut to the time left. */
  signal(maxMs: number): AbortSignal {
    return budgetSignal(Math.min(maxMs, this.left()));
  }

  /**
   * How long storing an event's media may take if it starts now (at most `limitMs`), leaving its handler at least
   * {@link WORKER_BUDGET.handlerAfterMediaMs}: 0 when that does not fit.
   */
  mediaMs(limitMs: number): number {
    const fits = Math.min(limitMs, this.left() - WORKER_BUDGET.aroundHandlerMs - WORKER_BUDGET.handlerAfterMediaMs);
    return fits >= 1_000 ? Math.floor(fits) : 0;
  }

  /** How long a handler may run if it starts now: 0 when there is no time for it and what surrounds it. */
  handlerMs(): number {
    const fits = Math.min(WORKER_BUDGET.handlerMs, this.left() - WORKER_BUDGET.aroundHandlerMs);
    return fits >= 1_000 ? Math.floor(fits) : 0;
  }
}
