import { hash } from 'node:crypto';
import { asIsoTime } from '../providers/kit/coerce.js';
import type { OwnEventId, Recognition, WebhookDelivery } from '../events/delivery.js';
import type { EventType, WebhookEvent } from '../events/schema.js';
import { SQS_ID_MAXIMUM_LENGTH } from '../events/sqs-id.js';
import { webhookPath } from '../events/webhook-path.js';

// One-shot `hash`, not createHash().update().digest(): the same digest in about half the time (BENCHMARKS.md).
function sha256Hex(bytes: Uint8Array | string): string {
  return hash('sha256', bytes, 'hex');
}

// Kept as they are: letters, digits and `_.@+~-`, what ids, e-mail addresses and phone numbers are made of.
const ESCAPED = /[^\w.@+~-]/g;

/**
 * One part of an own id in printable ASCII without `:`: every other UTF-16 code unit is written `%XX` (below
 * 256) or `%uXXXX`, `%` included, so the escaping is reversible and two parts never read as one.
 */
function escapePart(part: string): string {
  return part.replace(ESCAPED, (unit) => {
    const code = unit.charCodeAt(0);
    return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** What an event id hashes when the provider has no id for the event. */
export type EventContent =
  /** The body as parsed, hashed in compact JSON (`JSON.stringify`, which writes every number as received). */
  | { readonly json: unknown }
  /** The bytes of a body that is not JSON. */
  | { readonly bytes: Uint8Array };

/**
 * The event id, which also names the event's idempotency record (printable ASCII, at most 128 characters):
 * - `<provider>:<form>:<part>...` when the provider has its own id for the event ({@link OwnEventId}); each
 *   part escaped (`:` → `%3A`, `%` → `%25`, anything outside `[A-Za-z0-9_.@+~-]` likewise), so ids of
 *   different forms or parts can never be equal;
 * - `<provider>:id-sha256:<SHA-256 of form:parts>` when that is longer than 128 characters;
 * - `<provider>:sha256:<type>:<SHA-256 of the compact JSON>` for a JSON body without an own id: copies that
 *   differ only in whitespace or escapes share it, as identical events should;
 * - `<provider>:bytes-sha256:<SHA-256 of the bytes>` for a body that is not JSON.
 *
 * @example eventId('qikchat', 'message.status_updated', ['status', 'in:X', 'read'], content) // 'qikchat:status:in%3AX:read'
 */
export function eventId(provider: string, type: EventType, ownId: OwnEventId | undefined, content: EventContent): string {
  if (ownId !== undefined) {
    const id = ownId.map(escapePart).join(':');
    const candidate = `${provider}:${id}`;
    return candidate.length <= SQS_ID_MAXIMUM_LENGTH ? candidate : `${provider}:id-sha256:${sha256Hex(id)}`;
  }
  if ('bytes' in content) return `${provider}:bytes-sha256:${sha256Hex(content.bytes)}`;
  return `${provider}:sha256:${type}:${sha256Hex(JSON.stringify(content.json))}`;
}

/** The CloudEvents `source` of a provider's events. */
export function eventSource(provider: string): string {
  return webhookPath(provider);
}

/** The body as the event carries it: `data.raw`, and what the id hashes when the provider has no id. */
export interface EventBody {
  readonly raw: unknown;
  readonly content: EventContent;
}

/** Wraps a recognition into a CloudEvents 1.0 event, with the body as `data.raw`. */
export function toCloudEvent(provider: string, delivery: WebhookDelivery, recognition: Recognition, { raw, content }: EventBody): WebhookEvent {
  const subject = recognition.data.conversationId ?? undefined;
  return {
    specversion: '1.0',
    id: eventId(provider, recognition.type, recognition.id, content),
    source: eventSource(provider),
    type: recognition.type,
    time: asIsoTime(recognition.time) ?? delivery.receivedAt.toISOString(),
    ...(subject ? { subject } : {}),
    datacontenttype: 'application/json',
    provider,
    data: { ...recognition.data, raw },
  } as WebhookEvent;
}
