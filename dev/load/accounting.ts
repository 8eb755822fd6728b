/**
 * Did every acknowledged delivery come out of the worker exactly once, and in order within its
 * conversation? The arithmetic of the load test, kept apart from HTTP so it can be tested on its own.
 */

/** What the sender knows: per conversation, the event ids acknowledged (200), in the order they were sent. */
export type AcknowledgedByConversation = ReadonlyMap<string, readonly string[]>;

export interface Accounting {
  /** Deliveries answered 200. */
  readonly acknowledged: number;
  /** Acknowledged deliveries the worker processed at least once. */
  readonly processed: number;
  /** Acknowledged, never processed. */
  readonly lost: number;
  /** Processings beyond the first of an acknowledged delivery (an event processed 3 times counts 2). */
  readonly duplicated: number;
  /**
   * Acknowledged deliveries processed after a later delivery of their own conversation: each one is an
   * event that was overtaken.
   */
  readonly outOfOrder: number;
  /** Deliveries answered with an error that were processed all the same: the answer was not true. */
  readonly rejectedButProcessed: number;
}

/**
 * Accounts for a run.
 *
 * @param acknowledged - per conversation, the acknowledged event ids in the order they were sent
 * @param processed - the event ids the worker processed, in the order it processed them (other runs'
 *   ids may be among them; they are ignored)
 * @param rejected - event ids of deliveries answered with an error
 * @example
 * accountDeliveries(new Map([['c1', ['a', 'b']]]), ['b', 'a', 'a'])
 * // → { acknowledged: 2, processed: 2, lost: 0, duplicated: 1, outOfOrder: 1, rejectedButProcessed: 0 }
 */
export function accountDeliveries(
  acknowledged: AcknowledgedByConversation,
  processed: Iterable<string>,
  rejected: ReadonlySet<string> = new Set(),
): Accounting {
  // Where each acknowledged event stands: its conversation and its place in it.
  const position = new Map<string, { conversation: string; index: number }>();
  let acknowledgedCount = 0;
  for (const [conversation, ids] of acknowledged) {
    ids.forEach((id, index) => position.set(id, { conversation, index }));
    acknowledgedCount += ids.length;
  }

  const times = new Map<string, number>();
  const latestInConversation = new Map<string, number>();
  let outOfOrder = 0;
  let rejectedButProcessed = 0;
  for (const id of processed) {
    const place = position.get(id);
    if (!place) {
      if (rejected.has(id) && !times.has(id)) rejectedButProcessed++;
      if (rejected.has(id)) times.set(id, (times.get(id) ?? 0) + 1);
      continue;
    }
    const seen = times.get(id) ?? 0;
    times.set(id, seen + 1);
    // Order is judged on first processings; a repeat is counted as a duplicate, not again here.
    if (seen > 0) continue;
    const latest = latestInConversation.get(place.conversation) ?? -1;
    if (place.index < latest) outOfOrder++;
    else latestInConversation.set(place.conversation, place.index);
  }

  let processedCount = 0;
  let duplicated = 0;
  for (const id of position.keys()) {
    const count = times.get(id) ?? 0;
    if (count > 0) processedCount++;
    if (count > 1) duplicated += count - 1;
  }
  return {
    acknowledged: acknowledgedCount,
    processed: processedCount,
    lost: acknowledgedCount - processedCount,
    duplicated,
    outOfOrder,
    rejectedButProcessed,
  };
}
