import { createHash } from 'node:crypto';
import { asIsoTime } from '../normalise/coerce.js';
import type { Recognition, WebhookDelivery } from '../providers/types.js';
import type { WebhookEvent } from './schema.js';

// SQS accepts these characters in a MessageDeduplicationId, up to 128 of them; the event id is used as one.
const DEDUPLICATION_ID = /^[\x21-\x7e]{1,128}$/;

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The event id: `<provider>:<provider's own id>` when the provider has one for this event, otherwise
 * `<provider>:sha256:<hash of the raw body>`. The same delivery sent twice gets the same id, so SQS
 * deduplicates it. An own id SQS could not take (too long, odd characters) is hashed into
 * `<provider>:id-sha256:<hash>`: a namespace of its own, so it can never equal a body hash.
 */
export function eventId(provider: string, rawBody: Uint8Array, ownId: string | undefined): string {
  if (ownId !== undefined) {
    const candidate = `${provider}:${ownId}`;
    return DEDUPLICATION_ID.test(candidate) ? candidate : `${provider}:id-sha256:${sha256Hex(ownId)}`;
  }
  return `${provider}:sha256:${sha256Hex(rawBody)}`;
}

/** The CloudEvents `source` of a provider's events. */
export function eventSource(provider: string): string {
  return `/webhooks/${provider}`;
}

/** Wraps a recognition into a CloudEvents 1.0 event. */
export function toCloudEvent(provider: string, delivery: WebhookDelivery, recognition: Recognition): WebhookEvent {
  const subject = recognition.data.conversationId ?? undefined;
  return {
    specversion: '1.0',
    id: eventId(provider, delivery.rawBody, recognition.id),
    source: eventSource(provider),
    type: recognition.type,
    time: asIsoTime(recognition.time) ?? delivery.receivedAt.toISOString(),
    ...(subject ? { subject } : {}),
    datacontenttype: 'application/json',
    provider,
    data: recognition.data,
  } as WebhookEvent;
}
