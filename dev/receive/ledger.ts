/**
 * What the reference receiver remembers of the events it was sent: which ids it accepted (a repeat is a duplicate,
 * answered 2xx again), how often each id came, and per conversation the event it asked to be sent again (a retryable
 * answer) and has not accepted since: another event of that conversation arriving first is out of order.
 */

/** The retryable answers: the sender must send the same event again, before any later one of its conversation. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** What the receiver made of one verified event. */
export interface Arrival {
  /** How often this id came, this time included. */
  readonly attempt: number;
  /** Accepted before: when (ISO). */
  readonly duplicateOf?: string | undefined;
  /** Another event of its conversation, answered with a retryable status and not accepted since. */
  readonly outOfOrder?: { readonly eventId: string; readonly status: number; readonly at: string } | undefined;
}

export interface Ledger {
  /** How often this id came so far. */
  attempts(eventId: string): number;
  /** Records an event's arrival and the answer it gets (`accepted`: 2xx; else the status it was refused with). */
  arrive(eventId: string, conversation: string, answer: { readonly accepted: true } | { readonly accepted: false; readonly status: number }, at: string): Arrival;
}

/**
 * A ledger remembering at most `limit` ids (the oldest are forgotten first: enough for a demo or a load test).
 *
 * @example const ledger = createLedger(); ledger.arrive('qikchat:in:1', 'qikchat 6281', { accepted: true }, new Date().toISOString());
 */
export function createLedger(limit = 100_000): Ledger {
  const accepted = new Map<string, string>();
  const attempts = new Map<string, number>();
  const awaited = new Map<string, { eventId: string; status: number; at: string }>();
  const bounded = (map: Map<string, unknown>) => {
    if (map.size > limit) map.delete(map.keys().next().value ?? '');
  };

  return {
    attempts: (eventId) => attempts.get(eventId) ?? 0,

    arrive(eventId, conversation, answer, at) {
      const attempt = (attempts.get(eventId) ?? 0) + 1;
      attempts.set(eventId, attempt);
      bounded(attempts);
      const waiting = awaited.get(conversation);
      const outOfOrder = waiting !== undefined && waiting.eventId !== eventId ? waiting : undefined;
      const duplicateOf = accepted.get(eventId);
      if (answer.accepted) {
        if (waiting?.eventId === eventId) awaited.delete(conversation);
        if (duplicateOf === undefined) {
          accepted.set(eventId, at);
          bounded(accepted);
        }
      } else if (waiting === undefined && duplicateOf === undefined && isRetryableStatus(answer.status)) {
        // The first event it refused is the one that must come again first; a permanent refusal asks for no retry.
        awaited.set(conversation, { eventId, status: answer.status, at });
        bounded(awaited);
      }
      return { attempt, duplicateOf, outOfOrder };
    },
  };
}
