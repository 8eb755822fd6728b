/**
 * The one line `npm run receive` prints per request: time (UTC, as `npm start` prints it), webhook-id, event type,
 * provider, conversation, what the receiver made of it, and its answer.
 */
import type { Arrival } from './ledger.js';
import type { ReceivedEvent } from './event.js';

const time = (iso: string) => iso.slice(11, 23);

export interface ReceivedLineInput {
  readonly at: string;
  readonly webhookId: string;
  readonly event: ReceivedEvent;
  readonly conversation: string | undefined;
  readonly status: number;
  readonly outcome: 'accepted' | 'duplicate' | 'failed';
  readonly arrival: Arrival;
  /** Why it failed on purpose: `--fail-rate 0.3`. */
  readonly failedBecause: string;
}

/**
 * A verified event's line.
 *
 * @example receivedLine(...) // '03:12:05.123  qikchat:in:52JH…  message.received  qikchat  conv 919812345678  verified → 204'
 */
export function receivedLine(input: ReceivedLineInput): string {
  const { arrival } = input;
  const attempt = arrival.attempt > 1 ? `, attempt ${String(arrival.attempt)}` : '';
  const what =
    input.outcome === 'failed'
      ? `verified${attempt}, failed on purpose (${input.failedBecause})`
      : input.outcome === 'duplicate'
        ? `verified, DUPLICATE of the one accepted at ${time(arrival.duplicateOf ?? '')}${attempt}`
        : `verified${attempt}`;
  const late = arrival.outOfOrder;
  const order = late ? `  OUT OF ORDER: ${late.eventId} of this conversation was answered ${String(late.status)} at ${time(late.at)} and has not been accepted since` : '';
  return [
    time(input.at),
    input.webhookId,
    input.event.type.padEnd(26),
    input.event.provider.padEnd(18),
    `conv ${input.conversation ?? '-'}`.padEnd(22),
    `${what} → ${String(input.status)}${order}`,
  ].join('  ');
}

/**
 * A refused request's line: no valid signature, no event, or not a delivery at all.
 *
 * @example refusedLine(...) // '03:12:05.123  msg_1  POST /hook  REFUSED 401: signature not verified: No matching signature found'
 */
export function refusedLine(input: { readonly at: string; readonly target: string; readonly webhookId: string | undefined; readonly status: number; readonly reason: string }): string {
  return [time(input.at), input.webhookId ?? '-', input.target, `REFUSED ${String(input.status)}: ${input.reason}`].join('  ');
}
