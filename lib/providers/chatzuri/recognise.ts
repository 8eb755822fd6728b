import type * as z from 'zod/mini';
import type { Message, Participant } from '../../events/schema.js';
import { asId, asText, participant } from '../kit/coerce.js';
import type { Recognition } from '../../events/delivery.js';
import {
  ChatzuriApiEnvelopeSchema,
  ChatzuriConversationStartedSchema,
  ChatzuriFeedbackSchema,
  ChatzuriGuideEnvelopeSchema,
  ChatzuriLeadSchema,
  ChatzuriMessageReceivedSchema,
  ChatzuriMessageSentSchema,
  ChatzuriReasonSchema,
  type ChatzuriConversationStarted,
  type ChatzuriMessageContent,
  type ChatzuriMessageReceived,
  type ChatzuriPerson,
} from './schemas.js';

/** One Chatzuri event, whichever of its two documented envelopes carried it. */
interface ChatzuriEvent {
  /** The event name as sent: `lead.submit`, `leads.submit`, `message.received`... */
  readonly name: string;
  /** The channel as sent (envelope, else data), or null. */
  readonly channel: string | null;
  /** The envelope's timestamp, when it has one. */
  readonly time: unknown;
  /** The event's own fields: the API page's `payload` or the guide's `data` (empty when absent). */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Unwraps either documented envelope: the Webhooks API page's `{eventType, agentId, channel?, payload}`
 * or the developer guide's `{event, timestamp, agent_id, data}`. Undefined for any other shape.
 *
 * @param body - the parsed JSON body
 */
function unwrapChatzuriEnvelope(body: unknown): ChatzuriEvent | undefined {
  const api = ChatzuriApiEnvelopeSchema.safeParse(body);
  if (api.success) {
    const { eventType, channel, payload } = api.data;
    return { name: eventType, channel: asText(channel) ?? asText(payload['channel']), time: payload['timestamp'], data: payload };
  }
  const guide = ChatzuriGuideEnvelopeSchema.safeParse(body);
  if (guide.success) {
    const { event, timestamp, data } = guide.data;
    const fields = data ?? {};
    return { name: event, channel: asText(fields['channel']), time: timestamp ?? fields['timestamp'], data: fields };
  }
  return undefined;
}

/** Fields of the common `data` every event carries, before its own fields. */
interface Common {
  readonly conversationId: string | null;
  readonly channel: string | null;
}

/**
 * Reads an event's data with its schema. Data that does not match (a field of an unexpected type) is read
 * as empty rather than rejected: the event name already decided the type, and `raw` keeps every field.
 */
function readData<S extends z.ZodMiniType<Record<string, unknown>>>(schema: S, data: unknown): Partial<z.infer<S>> {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : {};
}

function conversationIdOf(data: Readonly<Record<string, unknown>>): string | null {
  return asId(data['conversationId']) ?? asId(data['conversation_id']);
}

/** A person given as an id or as an object; null when nothing identifies them. */
function personOf(value: ChatzuriPerson | null | undefined, role: string): Participant | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return participant({ id: asId(value), role });
  const person = participant({
    id: asId(value.id),
    name: asText(value.name),
    email: asText(value.email),
    phone: asText(value.phone),
    role,
  });
  return (person.id ?? person.name ?? person.email ?? person.phone) !== null ? person : null;
}

// `from` is a phone number on WhatsApp and an address on email; tell them apart by what they look like,
// so it also works when an event carries no channel (the guide's envelope has none).
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{6,}$/;

/**
 * The customer who wrote, from the API page's per-channel fields (WhatsApp and email `from`, Telegram
 * `chatId` and `username`, Facebook and Instagram `senderId`, web `sessionId`), else from a person object.
 * `pageId` is the business's own page, never the customer. Null when nothing identifies them.
 */
function customerOf(data: ChatzuriMessageReceived | ChatzuriConversationStarted): Participant | null {
  const from = asText(data.from);
  const fromChannel = participant({
    id: asId(data.senderId) ?? asId(data.chatId) ?? asId(data.sessionId) ?? from,
    // Telegram's handle is the only name the API page gives.
    name: asText(data.username),
    email: from !== null && EMAIL.test(from) ? from : null,
    phone: from !== null && PHONE.test(from) ? from : null,
    role: 'customer',
  });
  if (fromChannel.id !== null) return fromChannel;
  return personOf(data.sender ?? data.user ?? data.customer, 'customer');
}

function messageOf(content: ChatzuriMessageContent | null | undefined, messageId: string | null): Message | null {
  if (content === null || content === undefined) return null;
  const text = typeof content === 'string' ? asText(content) : asText(content.text ?? content.content ?? content.body);
  const id = messageId ?? (typeof content === 'string' ? null : asId(content.id));
  // Chatzuri's agents exchange text; a message without any is kept as `other`, its fields in `raw`.
  return { id, type: text === null ? 'other' : 'text', text };
}

function recogniseLead(event: ChatzuriEvent, common: Common): Recognition {
  const data = readData(ChatzuriLeadSchema, event.data);
  const customer = personOf(data.customer, 'customer');
  return {
    type: 'lead.submitted',
    time: event.time,
    data: {
      ...common,
      lead: {
        name: asText(data.customerName) ?? asText(data.name) ?? customer?.name ?? null,
        email: asText(data.customerEmail) ?? asText(data.email) ?? customer?.email ?? null,
        phone: asText(data.customerPhone) ?? asText(data.phone) ?? customer?.phone ?? null,
      },
    },
  };
}

function recogniseMessageReceived(event: ChatzuriEvent, common: Common): Recognition {
  const data = readData(ChatzuriMessageReceivedSchema, event.data);
  const message = messageOf(data.message, asId(data.messageId) ?? asId(data.message_id)) ?? {
    id: null,
    type: 'other',
    text: null,
  };
  return {
    type: 'message.received',
    // No id is documented; a message id, when one is sent, identifies the event. Otherwise the content's hash.
    id: message.id === null ? undefined : ['message.received', message.id],
    time: event.time,
    data: {
      ...common,
      sender: customerOf(data) ?? participant({ role: 'customer' }),
      message,
    },
  };
}

function recogniseMessageSent(event: ChatzuriEvent, common: Common): Recognition {
  const data = readData(ChatzuriMessageSentSchema, event.data);
  const message = messageOf(data.message, asId(data.messageId) ?? asId(data.message_id));
  return {
    type: 'message.sent',
    id: message === null || message.id === null ? undefined : ['message.sent', message.id],
    time: event.time,
    data: {
      ...common,
      message,
      recipient: personOf(data.recipient ?? data.to ?? data.customer ?? data.user, 'customer'),
    },
  };
}

function recogniseConversationStarted(event: ChatzuriEvent, common: Common): Recognition {
  const data = readData(ChatzuriConversationStartedSchema, event.data);
  return {
    type: 'conversation.started',
    time: event.time,
    data: { ...common, customer: customerOf(data), message: messageOf(data.message, null) },
  };
}

function recogniseFeedback(event: ChatzuriEvent, common: Common): Recognition {
  const data = readData(ChatzuriFeedbackSchema, event.data);
  return {
    type: 'feedback.submitted',
    time: event.time,
    data: { ...common, rating: data.rating ?? null, comment: asText(data.comment) ?? asText(data.feedback) },
  };
}

function recogniseReason(
  type: 'conversation.ended' | 'escalation.triggered',
  event: ChatzuriEvent,
  common: Common,
): Recognition {
  const data = readData(ChatzuriReasonSchema, event.data);
  return { type, time: event.time, data: { ...common, reason: asText(data.reason) } };
}

/**
 * Recognises a Chatzuri delivery in either documented envelope. `lead.submit` (also spelled
 * `leads.submit`) becomes `lead.submitted`; `message.received`, `message.sent`, `conversation.started`,
 * `conversation.ended`, `feedback.submitted` and `escalation.triggered` keep their names. Another event
 * name or shape is undefined (`event.unrecognized`).
 *
 * The conversation id is the payload's `conversationId`; the channel is passed on as sent. Chatzuri
 * documents no event id, so the event's id is the hash of the body's compact JSON unless a message id is sent.
 *
 * @param body - the parsed JSON body
 * @example
 * recogniseChatzuri({ eventType: 'leads.submit', agentId: 'agent_1', payload: { conversationId: 'conv_1' } });
 * // → { type: 'lead.submitted', data: { conversationId: 'conv_1', lead: { name: null, ... }, ... } }
 */
export function recogniseChatzuri(body: unknown): Recognition | undefined {
  const event = unwrapChatzuriEnvelope(body);
  if (event === undefined) return undefined;
  const common: Common = { conversationId: conversationIdOf(event.data), channel: event.channel };
  switch (event.name) {
    case 'lead.submit':
    case 'leads.submit':
      return recogniseLead(event, common);
    case 'message.received':
      return recogniseMessageReceived(event, common);
    case 'message.sent':
      return recogniseMessageSent(event, common);
    case 'conversation.started':
      return recogniseConversationStarted(event, common);
    case 'conversation.ended':
      return recogniseReason('conversation.ended', event, common);
    case 'escalation.triggered':
      return recogniseReason('escalation.triggered', event, common);
    case 'feedback.submitted':
      return recogniseFeedback(event, common);
    default:
      return undefined;
  }
}
