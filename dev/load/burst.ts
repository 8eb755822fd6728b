import type { Conversation } from './scenario.js';

export interface BurstOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly conversations: readonly Conversation[];
  /** Conversations in flight at once; each sends its deliveries one after the other. */
  readonly concurrency: number;
  /** A delivery not answered within this counts as unanswered. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Called after every answered delivery with the number answered so far. */
  readonly onProgress?: (answered: number) => void;
  /** Once aborted, no further delivery is sent; those in flight are answered (or time out) first. */
  readonly signal?: AbortSignal | undefined;
}

export interface BurstResult {
  /** Per conversation (FIFO group), the event ids answered 200, in the order sent. */
  readonly acknowledged: Map<string, string[]>;
  /** Event ids answered with anything but 200. */
  readonly rejected: Set<string>;
  /** Answers other than 200, by status. */
  readonly rejectedByStatus: Map<number, number>;
  /** Deliveries with no answer (connection error or timeout). */
  readonly unanswered: number;
  /** Deliveries sent: all of them, unless the signal stopped the burst. */
  readonly sent: number;
  /** Milliseconds from sending to the 200, one per acknowledged delivery. */
  readonly ackLatenciesMs: number[];
  readonly elapsedMs: number;
}

/**
 * Sends the conversations' deliveries: up to `concurrency` conversations at once, each conversation's
 * deliveries strictly one after the other (the next only once the previous was answered), as a provider
 * sends a chat's messages and statuses. Bounded: every delivery is sent once, with a timeout.
 */
export async function sendBurst(options: BurstOptions): Promise<BurstResult> {
  const base = options.url.replace(/\/$/, '');
  const result: { -readonly [K in keyof BurstResult]: BurstResult[K] } = {
    acknowledged: new Map(),
    rejected: new Set(),
    rejectedByStatus: new Map(),
    unanswered: 0,
    sent: 0,
    ackLatenciesMs: [],
    elapsedMs: 0,
  };
  let next = 0;
  let answered = 0;
  const started = performance.now();

  async function sendConversation(conversation: Conversation): Promise<void> {
    const acknowledged: string[] = [];
    result.acknowledged.set(conversation.group, acknowledged);
    for (const delivery of conversation.deliveries) {
      if (options.signal?.aborted) return;
      result.sent++;
      const sent = performance.now();
      try {
        const response = await fetch(`${base}${delivery.path}`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
        });
        await response.arrayBuffer();
        if (response.status === 200) {
          result.ackLatenciesMs.push(performance.now() - sent);
          acknowledged.push(delivery.eventId);
        } else {
          result.rejected.add(delivery.eventId);
          result.rejectedByStatus.set(response.status, (result.rejectedByStatus.get(response.status) ?? 0) + 1);
        }
      } catch {
        result.unanswered++;
      }
      options.onProgress?.(++answered);
    }
  }

  async function lane(): Promise<void> {
    while (next < options.conversations.length && !options.signal?.aborted) {
      const conversation = options.conversations[next++];
      if (conversation) await sendConversation(conversation);
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => lane()));
  result.elapsedMs = performance.now() - started;
  return result;
}
