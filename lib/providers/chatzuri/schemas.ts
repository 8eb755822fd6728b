/**
 * Zod schemas of Chatzuri's webhook payloads.
 *
 * Chatzuri documents two envelopes on two pages that disagree, and real deliveries may use either:
 * - the Webhooks API page: `{eventType, agentId, channel?, payload}` (an older version says `chatbotId`);
 * - the developer guide: `{event, timestamp, agent_id, data}`.
 * Only the API page documents payload fields (lead fields, and per channel: `from`, `chatId`/`username`,
 * `senderId`/`pageId`, `subject`, `sessionId`/`pageUrl`). The guide's `data` shapes are undocumented, so the
 * data schemas below also accept the plausible fields of such events (a message object, a customer, a
 * rating, a reason), all optional: the event name decides the type, the data only fills what it can.
 * Every object is loose, so fields Chatzuri adds pass through and stay in `raw`.
 */
import { z } from 'zod';

/** An id: a string, or a number (Telegram chat ids are numbers). */
const IdSchema = z.union([z.string().min(1), z.number()]);

/** Envelope of the Webhooks API page. */
export const ChatzuriApiEnvelopeSchema = z.looseObject({
  eventType: z.string().min(1),
  agentId: IdSchema.nullish(),
  /** The older name of `agentId`. */
  chatbotId: IdSchema.nullish(),
  /** Only on `message.received`: whatsapp, telegram, facebook, instagram, email or web. */
  channel: z.string().nullish(),
  payload: z.looseObject({}),
});
export type ChatzuriApiEnvelope = z.infer<typeof ChatzuriApiEnvelopeSchema>;

/** Envelope of the developer guide. `data` may be absent or null in a minimal event: the name still counts. */
export const ChatzuriGuideEnvelopeSchema = z.looseObject({
  event: z.string().min(1),
  timestamp: z.union([z.string(), z.number()]).nullish(),
  agent_id: IdSchema.nullish(),
  data: z.looseObject({}).nullish(),
});
export type ChatzuriGuideEnvelope = z.infer<typeof ChatzuriGuideEnvelopeSchema>;

/** A person, as an undocumented payload would plausibly describe one; or just their id. */
export const ChatzuriPersonSchema = z.union([
  IdSchema,
  z.looseObject({
    id: IdSchema.nullish(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
]);
export type ChatzuriPerson = z.infer<typeof ChatzuriPersonSchema>;

/** A message: a plain string on the API page; plausibly an object with an id in the guide's events. */
export const ChatzuriMessageContentSchema = z.union([
  z.string(),
  z.looseObject({
    id: IdSchema.nullish(),
    text: z.string().nullish(),
    content: z.string().nullish(),
    body: z.string().nullish(),
  }),
]);
export type ChatzuriMessageContent = z.infer<typeof ChatzuriMessageContentSchema>;

/** Fields every event may carry: the conversation (camelCase on the API page, snake_case plausible in the guide). */
const ConversationShape = {
  conversationId: IdSchema.nullish(),
  conversation_id: IdSchema.nullish(),
  /** The guide's envelope has no `channel`; its data plausibly does. */
  channel: z.string().nullish(),
  timestamp: z.union([z.string(), z.number()]).nullish(),
};

/** Who wrote, per channel, as the API page documents it. */
const ChannelSenderShape = {
  /** WhatsApp: the customer's number; email: their address. */
  from: z.string().nullish(),
  /** Telegram. */
  chatId: IdSchema.nullish(),
  username: z.string().nullish(),
  /** Facebook and Instagram: the user; `pageId` is the business's page. */
  senderId: IdSchema.nullish(),
  pageId: IdSchema.nullish(),
  /** Web widget: the visitor's session, and the page they wrote from. */
  sessionId: IdSchema.nullish(),
  pageUrl: z.string().nullish(),
  /** Plausible in the guide's events: the person as an object. */
  sender: ChatzuriPersonSchema.nullish(),
  user: ChatzuriPersonSchema.nullish(),
  customer: ChatzuriPersonSchema.nullish(),
};

/** `lead.submit` / `leads.submit`: a customer left their name, email and phone with the agent. */
export const ChatzuriLeadSchema = z.looseObject({
  ...ConversationShape,
  customerName: z.string().nullish(),
  customerEmail: z.string().nullish(),
  customerPhone: z.string().nullish(),
  // Plausible spellings in the guide's undocumented data.
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  customer: ChatzuriPersonSchema.nullish(),
});
export type ChatzuriLead = z.infer<typeof ChatzuriLeadSchema>;

/** `message.received`: a customer wrote to the agent on one of its channels. */
export const ChatzuriMessageReceivedSchema = z.looseObject({
  ...ConversationShape,
  ...ChannelSenderShape,
  message: ChatzuriMessageContentSchema.nullish(),
  messageId: IdSchema.nullish(),
  message_id: IdSchema.nullish(),
  /** Email only. */
  subject: z.string().nullish(),
});
export type ChatzuriMessageReceived = z.infer<typeof ChatzuriMessageReceivedSchema>;

/** `message.sent`: the agent answered (undocumented data). */
export const ChatzuriMessageSentSchema = z.looseObject({
  ...ConversationShape,
  message: ChatzuriMessageContentSchema.nullish(),
  messageId: IdSchema.nullish(),
  message_id: IdSchema.nullish(),
  recipient: ChatzuriPersonSchema.nullish(),
  to: ChatzuriPersonSchema.nullish(),
  customer: ChatzuriPersonSchema.nullish(),
  user: ChatzuriPersonSchema.nullish(),
});
export type ChatzuriMessageSent = z.infer<typeof ChatzuriMessageSentSchema>;

/** `conversation.started` (undocumented data): who started it, and possibly their first message. */
export const ChatzuriConversationStartedSchema = z.looseObject({
  ...ConversationShape,
  ...ChannelSenderShape,
  message: ChatzuriMessageContentSchema.nullish(),
});
export type ChatzuriConversationStarted = z.infer<typeof ChatzuriConversationStartedSchema>;

/** `conversation.ended` and `escalation.triggered` (undocumented data): why. */
export const ChatzuriReasonSchema = z.looseObject({
  ...ConversationShape,
  reason: z.string().nullish(),
});
export type ChatzuriReason = z.infer<typeof ChatzuriReasonSchema>;

/** `feedback.submitted` (undocumented data): a rating and a comment. */
export const ChatzuriFeedbackSchema = z.looseObject({
  ...ConversationShape,
  rating: z.union([z.number(), z.string()]).nullish(),
  comment: z.string().nullish(),
  /** Plausible alternative name of `comment`. */
  feedback: z.string().nullish(),
});
export type ChatzuriFeedback = z.infer<typeof ChatzuriFeedbackSchema>;
