import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { WebhookEvent } from '../events/schema.js';
import type { HandlerContext } from '../handlers/types.js';
import { DeliveryFailedError, DeliveryRejectedError, startTry } from './errors.js';
import type { EventBridgeDestination } from './settings.js';
import type { DeliveryTarget } from './types.js';

/** PutEvents takes at most 10 entries, 256 KiB in all. */
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;
/** Rounds of retrying only the failed entries inside one delivery, before the event fails and the worker retries it. */
const ENTRY_ROUNDS = 3;
const MARGIN_MS = 250;

/** `Source` of every entry: the provider under the gateway's prefix, so rules can select by provider. */
function eventBridgeSource(provider: string): string {
  return `chat-webhook-gateway.${provider}`;
}

/** The entry of an event: Source by provider, DetailType the event type, Detail the CloudEvent. */
function eventBridgeEntry(event: WebhookEvent, busName: string): PutEventsRequestEntry {
  return { EventBusName: busName, Source: eventBridgeSource(event.provider), DetailType: event.type, Detail: JSON.stringify(event), Time: new Date(event.time) };
}

/** An entry's size as EventBridge counts it (UTF-8 bytes of its strings, 14 for the time). */
function entrySize(entry: PutEventsRequestEntry): number {
  return 14 + [entry.Source, entry.DetailType, entry.Detail].reduce((sum, text) => sum + Buffer.byteLength(text ?? ''), 0);
}

interface Pending {
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
  readonly deadline: number;
  readonly settle: (failure: { readonly code: string; readonly message: string } | undefined) => void;
}

/**
 * An EventBridge destination: `PutEvents` to the named bus. Deliveries that arrive together (the conversations of a
 * batch run side by side) go in one call of up to 10 entries; only the entries that failed are sent again, and one
 * still failing after that fails its event (retried by the worker). EventBridge keeps no order: a rule's targets may
 * see a conversation's events in any order.
 */
export function eventBridgeDestination(settings: EventBridgeDestination, client: EventBridgeClient, deps: { readonly delivered: (event: WebhookEvent, attempt: { readonly latencyMs: number }) => void; readonly sent: () => void }): DeliveryTarget {
  const destination = settings.name;
  let queue: Pending[] = [];
  let scheduled = false;

  /** Sends what is waiting, in calls of at most 10 entries and 256 KiB. */
  async function flush(): Promise<void> {
    scheduled = false;
    const waiting = queue;
    queue = [];
    while (waiting.length > 0) {
      const call: Pending[] = [];
      let bytes = 0;
      while (waiting.length > 0 && call.length < MAX_ENTRIES && bytes + (waiting[0]?.size ?? 0) <= MAX_REQUEST_BYTES) {
        const next = waiting.shift();
        if (!next) break;
        call.push(next);
        bytes += next.size;
      }
      await send(call);
    }
  }

  /** One call, then the failed entries again, for a few rounds. */
  async function send(call: Pending[]): Promise<void> {
    let left = call;
    for (let round = 1; left.length > 0; round++) {
      const deadline = Math.min(...left.map((pending) => pending.deadline));
      deps.sent();
      let failed: { pending: Pending; code: string; message: string }[];
      try {
        const answer = await client.send(new PutEventsCommand({ Entries: left.map((pending) => pending.entry) }), { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
        const entries = answer.Entries ?? [];
        failed = [];
        for (const [index, pending] of left.entries()) {
          const result = entries[index];
          if (result?.EventId !== undefined && result.ErrorCode === undefined) pending.settle(undefined);
          else failed.push({ pending, code: result?.ErrorCode ?? 'NoResult', message: result?.ErrorMessage ?? 'no result for the entry' });
        }
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        failed = left.map((pending) => ({ pending, code: 'CallFailed', message }));
      }
      if (round >= ENTRY_ROUNDS || Date.now() >= deadline) {
        for (const { pending, code, message } of failed) pending.settle({ code, message });
        return;
      }
      left = failed.map(({ pending }) => pending);
    }
  }

  return {
    name: destination,
    async deliver(event: WebhookEvent, context: HandlerContext) {
      const attempt = startTry(destination, context);
      const entry = eventBridgeEntry(event, settings.busName);
      const size = entrySize(entry);
      if (size > MAX_REQUEST_BYTES) throw new DeliveryRejectedError(`The event is ${String(size)} bytes: EventBridge takes at most 256 KiB`, attempt.failed('failure', 'entry too large'));
      const failure = await new Promise<{ code: string; message: string } | undefined>((settle) => {
        queue.push({ entry, size, deadline: Date.now() + Math.max(1, context.timeLimitMs - MARGIN_MS), settle });
        if (!scheduled) {
          scheduled = true;
          // The next turn of the event loop: the other conversations' deliveries of this moment join the call.
          setImmediate(() => void flush());
        }
      });
      if (failure) throw new DeliveryFailedError('delivery_failed', `PutEvents to ${settings.busName} failed for the entry: ${failure.code}`, attempt.failed('failure', `${failure.code}: ${failure.message}`.slice(0, 300)));
      deps.delivered(event, { latencyMs: attempt.latencyMs() });
    },
  };
}
