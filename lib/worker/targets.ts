import type { WebhookEvent } from '../events/schema.js';
import { GatewayError } from '../events/errors.js';
import { DeliveryFailedError } from '../destinations/errors.js';
import type { WorkerDestinations } from '../destinations/types.js';
import { isPermanentFailure } from '../handlers/errors.js';
import { logEvent } from '../handlers/log-event.js';
import type { EventHandler, HandlerContext } from '../handlers/types.js';
import { EventInProgressError, IdempotencyStoreError, type IdempotentRun } from './idempotency.js';

/**
 * One thing an event is run through: the code handler of its type, or a destination whose filter takes it. Each has
 * its own idempotency record (`scope`), so a target that failed is run again on the retry and the others are not.
 */
export interface Target {
  /** The idempotency scope: absent for the code handler (its records stay `event#…`), `destination.<name>` for a destination. */
  readonly scope?: string | undefined;
  /** For the logs: `handler` or the destination's name. */
  readonly name: string;
  readonly run: (event: WebhookEvent, context: HandlerContext) => Promise<void> | void;
}

/**
 * The code handler of the event's type first, then the destinations that take the event, in settings order. A type
 * without a code handler goes to the default one (`logEvent`) only when no destination takes it: the default only
 * logs, and a run of it would cost the event a second idempotency record.
 */
export function targetsOf(event: WebhookEvent, handler: EventHandler<WebhookEvent['type']> | undefined, destinations: WorkerDestinations | undefined): Target[] {
  const matching = (destinations?.matching(event) ?? []).map((destination) => ({ scope: `destination.${destination.name}`, name: destination.name, run: destination.deliver.bind(destination) }));
  if (handler) return [{ name: 'handler', run: handler }, ...matching];
  return matching.length > 0 ? matching : [{ name: 'handler', run: logEvent }];
}

/** More than one target of an event failed: each error is kept, the first one names the failure. */
class TargetsFailedError extends GatewayError<'targets_failed'> {
  override readonly name: string = 'TargetsFailedError';

  constructor(readonly errors: readonly unknown[]) {
    const lines = errors.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? '');
    super('targets_failed', `${String(errors.length)} targets failed: ${lines.join('; ')}`, { cause: errors[0] });
  }
}

/** The failures an error stands for (several when more than one target failed). */
export function failuresOf(error: unknown): readonly unknown[] {
  return error instanceof TargetsFailedError ? error.errors : [error];
}

/** Trying again cannot help when any of the failures says so. */
export function isPermanent(error: unknown): boolean {
  return failuresOf(error).some(isPermanentFailure);
}

/** The latest `Retry-After` any failing destination asked for, in seconds. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const asked = failuresOf(error).flatMap((failure) => (failure instanceof DeliveryFailedError && failure.retryAfterSeconds !== undefined ? [failure.retryAfterSeconds] : []));
  return asked.length > 0 ? Math.max(...asked) : undefined;
}

const OUTCOME_RANK = { duplicate: 0, processed: 1, conflict: 2 } as const;

/**
 * Runs every target side by side (order per conversation holds: the next event waits for all of them) and
 * combines what they came to: it throws the failure if any target failed (several as {@link TargetsFailedError}),
 * else the deferral if any was deferred; the outcome is `conflict` if any saw one, `processed` if any ran,
 * `duplicate` when all had run before.
 */
export async function runTargets(targets: readonly Target[], runOne: (target: Target) => Promise<IdempotentRun>): Promise<IdempotentRun> {
  const runs = await Promise.allSettled(targets.map(runOne));
  const rejected = runs.flatMap((run) => (run.status === 'rejected' ? [run.reason as unknown] : []));
  const deferral = (error: unknown) => error instanceof EventInProgressError || error instanceof IdempotencyStoreError;
  const failed = rejected.filter((error) => !deferral(error));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new TargetsFailedError(failed);
  if (rejected.length > 0) throw rejected[0];
  const results = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value] : []));
  let combined = results[0];
  if (!combined) throw new Error('an event has at least one target');
  for (const result of results.slice(1)) {
    const outcome: IdempotentRun['outcome'] = OUTCOME_RANK[result.outcome] > OUTCOME_RANK[combined.outcome] ? result.outcome : combined.outcome;
    combined = {
      outcome,
      digest: combined.digest,
      handledDigest: combined.handledDigest ?? result.handledDigest,
      recordError: combined.recordError ?? result.recordError,
    };
  }
  return combined;
}
