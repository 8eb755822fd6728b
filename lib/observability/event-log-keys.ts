import { hash } from 'node:crypto';
import type { WebhookEvent } from '../events/schema.js';

/**
 * What an INFO line may say about an event: its id, type, provider and conversation, and no customer content.
 * The conversation is given as a digest, the first 16 hex digits of the SHA-256 of its id
 * (`printf %s <id> | sha256sum`), because a conversation id can be the customer's phone number (Qikchat).
 * The event itself is logged only at DEBUG.
 */
export function eventLogKeys(event: WebhookEvent): { eventId: string; type: string; provider: string; conversation: string | null } {
  return { eventId: event.id, type: event.type, provider: event.provider, conversation: conversationDigest(event.data.conversationId) };
}

/** A conversation id as a log line may show it: the first 16 hex digits of its SHA-256. */
export function conversationDigest(conversationId: string | null): string | null {
  return conversationId === null ? null : hash('sha256', conversationId, 'hex').slice(0, 16);
}

/**
 * A duration to a tenth of a millisecond, for log lines and metric values: `performance.now()` differences have 15
 * digits (`2.185616000000664`), about 25 bytes of CloudWatch Logs each, finer than any alarm or graph reads.
 */
export function roundDuration(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Milliseconds since `started` (a `performance.now()`), to a tenth: enough for a log line. */
export function elapsedMs(started: number): number {
  return roundDuration(performance.now() - started);
}
