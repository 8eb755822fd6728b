import { asIsoTime } from '../../kit/coerce.js';

/**
 * The first of several candidate times that is a usable time, for payloads that may carry the moment in more
 * than one field (`timestamp`, `unix_timestamp`, `created_at`) and sometimes carry a broken one.
 *
 * @returns the value as sent (the event builder normalises it), or undefined when none is usable
 * @example firstUsableTime('', 1709626650) // 1709626650
 */
export function firstUsableTime(...candidates: readonly unknown[]): unknown {
  return candidates.find((candidate) => asIsoTime(candidate) !== undefined);
}
