import { hash } from 'node:crypto';
import type { WebhookEvent } from '../events/schema.js';

/**
 * What an INFO line may say about an event: its id, type, provider and conversation, and no customer content.
 * The conversation is given as a digest, the first 16 hex digits of the SHA-256 of its id
 * (`printf %s <id> | sha256sum`), because a conversation id can be the customer's phone number (Qikchat).
 * The event itself is logged only at DEBUG.
 */
export function eventLogKeys(event: WebhookEvent): { eventId: string; type: string; provider: string; conversation: string | null } {
  const conversation = event.data.conversationId;
  return {
    eventId: event.id,
    type: event.type,
    provider: event.provider,
    conversation: conversation === null ? null : hash('sha256', conversation, 'hex').slice(0, 16),
  };
}

/** Milliseconds since `started` (a `performance.now()`), to a tenth: enough for a log line. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
