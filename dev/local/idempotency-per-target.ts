/**
 * WORKAROUND until lib/worker/idempotency.ts keeps one persistence layer per key prefix: Powertools' persistence layer
 * holds the key prefix of the latest `makeIdempotent` call (`configure()` sets it on the shared instance), so the code
 * handler (`event#…`) and a destination (`event.destination.<name>#…`) running side by side can write each other's
 * records: a destination then finds the handler's record, is deferred as "in progress", and later skipped as a
 * duplicate, never delivering. Here each target gets its own instance.
 */
import type { EventIdempotency } from '../../lib/worker/idempotency.js';

/**
 * An idempotency whose runs use one instance of `make()` per target (the code handler's, each destination's).
 *
 * @example const idempotency = idempotencyPerTarget(() => createEventIdempotency(settings));
 */
export function idempotencyPerTarget(make: () => EventIdempotency): EventIdempotency {
  const byTarget = new Map<string | undefined, EventIdempotency>();
  return {
    run(event, context, handle, target) {
      let one = byTarget.get(target);
      if (!one) {
        one = make();
        byTarget.set(target, one);
      }
      return one.run(event, context, handle, target);
    },
  };
}
