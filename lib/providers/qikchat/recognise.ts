import type { Media, Message } from '../../events/schema.js';
import { asId, asText, participant } from '../kit/coerce.js';
import type { Recognition } from '../../events/delivery.js';
import {
  QikchatButtonSchema,
  QikchatIncomingMessageSchema,
  QikchatInteractiveSchema,
  QikchatMediaSchema,
  QikchatReactionSchema,
  QikchatStatusSchema,
  QikchatTextSchema,
  type QikchatIncomingMessage,
  type QikchatMessage,
  type QikchatStatus,
} from './schemas.js';

/** The WhatsApp message types that carry a media object (`id`, `url`, `mime_type`, `sha256`...). */
const MEDIA_TYPES = ['image', 'video', 'audio', 'sticker', 'document'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];

function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

// Every documented sample says "whatsapp"; the event name says so too, so it is a safe default.
function channelOf(name: string | undefined): string {
  return asText(name) ?? 'whatsapp';
}

function mediaOf(content: unknown): Media | undefined {
  const parsed = QikchatMediaSchema.safeParse(content);
  if (!parsed.success) return undefined;
  const media = parsed.data;
  return {
    id: asId(media.id),
    url: asText(media.url),
    mimeType: asText(media.mime_type),
    fileName: asText(media.filename),
    caption: asText(media.caption),
    sha256: asText(media.sha256),
  };
}

/**
 * The normalised message. `text` is what the customer put into words: the text body, a media caption,
 * the title of the reply button or list row they tapped, the emoji they reacted with. A location or a
 * shared contact card has no such text (null); its details stay in `raw`.
 *
 * Content that does not match its schema leaves the message's type as sent and its fields null: the
 * message is still delivered, only the fields we could not read are missing.
 */
function normaliseMessage(id: string | null, message: QikchatMessage): Message {
  // Qikchat, like WhatsApp, puts the content in a field named after the type: `text`, `image`...
  const content: unknown = message[message.type];
  const type = message.type;
  if (type === 'text') {
    const text = QikchatTextSchema.safeParse(content);
    return { id, type: 'text', text: text.success ? asText(text.data.body) : null };
  }
  if (isMediaType(type)) {
    const media = mediaOf(content);
    return { id, type, text: media?.caption ?? null, ...(media ? { media } : {}) };
  }
  if (type === 'location' || type === 'contacts') return { id, type, text: null };
  if (type === 'interactive') {
    const reply = QikchatInteractiveSchema.safeParse(content);
    const chosen = reply.success ? (reply.data.button_reply ?? reply.data.list_reply) : undefined;
    return { id, type: 'interactive', text: asText(chosen?.title) };
  }
  if (type === 'button') {
    const button = QikchatButtonSchema.safeParse(content);
    return { id, type: 'button', text: button.success ? asText(button.data.text) : null };
  }
  if (type === 'reaction') {
    // An empty emoji means the customer removed the reaction: no text then.
    const reaction = QikchatReactionSchema.safeParse(content);
    return { id, type: 'reaction', text: reaction.success ? asText(reaction.data.emoji) : null };
  }
  // `unsupported`, `order`, `system` and whatever WhatsApp adds next: kept as `other`, the content in `raw`.
  return { id, type: 'other', text: null };
}

function recogniseIncoming(body: QikchatIncomingMessage): Recognition | undefined {
  const { payload } = body;
  const customer = asId(payload.message.from);
  const messageId = asId(payload.id);
  if (customer === null || messageId === null) return undefined;
  return {
    type: 'message.received',
    // Its own form, so an incoming message never shares an id with a status of any message.
    id: ['in', messageId],
    time: payload.message.timestamp,
    data: {
      // The customer's number identifies the conversation (a WhatsApp chat is one customer and the business).
      conversationId: customer,
      channel: channelOf(payload.name),
      sender: participant({
        id: customer,
        phone: customer,
        name: asText(payload.contacts?.[0]?.profile?.name),
        role: 'customer',
      }),
      message: normaliseMessage(messageId, payload.message),
    },
  };
}

/**
 * A status callback. The conversation id must be the customer's number, the same value as an incoming
 * message's `message.from`, so that statuses and messages of one chat share a FIFO message group.
 *
 * Which of `from` / `to` is the customer? The status is about a message the business sent to the customer,
 * so one would guess `to`. Qikchat's own documentation says otherwise: in its status sample `to` is
 * `+91790XXXXXXX`, the very placeholder its incoming samples use for `contacts[].to`, the business number
 * the customer wrote to; `from` is a plain customer-style number (`918080808080`, written like
 * `message.from`, without `+`). Qikchat reports the receipt as coming from the customer's phone to the
 * business. So the customer is `from`; `to` is only used when `from` is missing.
 */
function recogniseStatus(body: QikchatStatus): Recognition | undefined {
  const { payload } = body;
  const messageId = asId(payload.id);
  if (messageId === null) return undefined;
  const customer = asId(payload.from) ?? asId(payload.to);
  return {
    type: 'message.status_updated',
    // One message gets sent, delivered and read callbacks: each is its own event, so the status is in the id.
    id: ['status', messageId, payload.status],
    time: payload.timestamp,
    data: {
      conversationId: customer,
      channel: channelOf(payload.name),
      status: payload.status,
      messageId,
      recipient: customer,
    },
  };
}

/**
 * Recognises a Qikchat delivery by its shape: an incoming message or a message status. Anything else,
 * including another reseller's payload under the same event name, is undefined (`event.unrecognized`).
 *
 * @param body - the parsed JSON body
 * @returns the recognised event, or undefined when the body has no Qikchat shape
 * @example
 * recogniseQikchat({ event: 'whatsapp:message:status', payload: { id: 'abc', status: 'read', from: '919812345678' } });
 * // → { type: 'message.status_updated', id: ['status', 'abc', 'read'], data: { conversationId: '919812345678', status: 'read', ... } }
 */
export function recogniseQikchat(body: unknown): Recognition | undefined {
  const incoming = QikchatIncomingMessageSchema.safeParse(body);
  if (incoming.success) return recogniseIncoming(incoming.data);
  const status = QikchatStatusSchema.safeParse(body);
  if (status.success) return recogniseStatus(status.data);
  return undefined;
}
