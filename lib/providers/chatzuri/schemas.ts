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
import * as z from 'zod/mini';

/** An id: a string, or a number (Telegram chat ids are numbers). */
const IdSchema = z.union([z.string().check(z.minLength(1)), z.number()]);

/** Envelope of the Webhooks API page. */
export const ChatzuriApiEnvelopeSchema = z.looseObject({
  eventType: z.string().check(z.minLength(1)),
  agentId: z.nullish(IdSchema),
  /** The older name of `agentId`. */
  chatbotId: z.nullish(IdSchema),
  /** Only on `message.received`: whatsapp, telegram, facebook, instagram, email or web. */
  channel: z.nullish(z.string()),
  payload: z.looseObject({}),
});

/** Envelope of the developer guide. `data` may be absent or null in a minimal event: the name still counts. */
export const ChatzuriGuideEnvelopeSchema = z.looseObject({
  event: z.string().check(z.minLength(1)),
  timestamp: z.nullish(z.union([z.string(), z.number()])),
  agent_id: z.nullish(IdSchema),
  data: z.nullish(z.looseObject({})),
});

/** A person, as an undocumented payload would plausibly describe one; or just their id. */
const ChatzuriPersonSchema = z.union([
  IdSchema,
  z.looseObject({
    id: z.nullish(IdSchema),
    name: z.nullish(z.string()),
    email: z.nullish(z.string()),
    phone: z.nullish(z.string()),
  }),
]);
export type ChatzuriPerson = z.infer<typeof ChatzuriPersonSchema>;

/** A message: a plain string on the API page; plausibly an object with an id in the guide's events. */
const ChatzuriMessageContentSchema = z.union([
  z.string(),
  z.looseObject({
    id: z.nullish(IdSchema),
    text: z.nullish(z.string()),
    content: z.nullish(z.string()),
    body: z.nullish(z.string()),
  }),
]);
export type ChatzuriMessageContent = z.infer<typeof ChatzuriMessageContentSchema>;

/** Fields every event may carry: the conversation (camelCase on the API page, snake_case plausible in the guide). */
const ConversationShape = {
  conversationId: z.nullish(IdSchema),
  conversation_id: z.nullish(IdSchema),
  /** The guide's envelope has no `channel`; its data plausibly does. */
  channel: z.nullish(z.string()),
  timestamp: z.nullish(z.union([z.string(), z.number()])),
};

/** Who wrote, per channel, as the API page documents it. */
const ChannelSenderShape = {
  /** WhatsApp: the customer's number; email: their address. */
  from: z.nullish(z.string()),
  /** Telegram. */
  chatId: z.nullish(IdSchema),
  username: z.nullish(z.string()),
  /** Facebook and Instagram: the user; `pageId` is the business's page. */
  senderId: z.nullish(IdSchema),
  pageId: z.nullish(IdSchema),
  /** Web widget: the visitor's session, and the page they wrote from. */
  sessionId: z.nullish(IdSchema),
  pageUrl: z.nullish(z.string()),
  /** Plausible in the guide's events: the person as an object. */
  sender: z.nullish(ChatzuriPersonSchema),
  user: z.nullish(ChatzuriPersonSchema),
  customer: z.nullish(ChatzuriPersonSchema),
};

/** `lead.submit` / `leads.submit`: a customer left their name, email and phone with the agent. */
export const ChatzuriLeadSchema = z.looseObject({
  ...ConversationShape,
  customerName: z.nullish(z.string()),
  customerEmail: z.nullish(z.string()),
  customerPhone: z.nullish(z.string()),
  // Plausible spellings in the guide's undocumented data.
  name: z.nullish(z.string()),
  email: z.nullish(z.string()),
  phone: z.nullish(z.string()),
  customer: z.nullish(ChatzuriPersonSchema),
});

/** `message.received`: a customer wrote to the agent on one of its channels. */
export const ChatzuriMessageReceivedSchema = z.looseObject({
  ...ConversationShape,
  ...ChannelSenderShape,
  message: z.nullish(ChatzuriMessageContentSchema),
  messageId: z.nullish(IdSchema),
  message_id: z.nullish(IdSchema),
  /** Email only. */
  subject: z.nullish(z.string()),
});
export type ChatzuriMessageReceived = z.infer<typeof ChatzuriMessageReceivedSchema>;

/** `message.sent`: the agent answered (undocumented data). */
export const ChatzuriMessageSentSchema = z.looseObject({
  ...ConversationShape,
  message: z.nullish(ChatzuriMessageContentSchema),
  messageId: z.nullish(IdSchema),
  message_id: z.nullish(IdSchema),
  recipient: z.nullish(ChatzuriPersonSchema),
  to: z.nullish(ChatzuriPersonSchema),
  customer: z.nullish(ChatzuriPersonSchema),
  user: z.nullish(ChatzuriPersonSchema),
});

/** `conversation.started` (undocumented data): who started it, and possibly their first message. */
export const ChatzuriConversationStartedSchema = z.looseObject({
  ...ConversationShape,
  ...ChannelSenderShape,
  message: z.nullish(ChatzuriMessageContentSchema),
});
export type ChatzuriConversationStarted = z.infer<typeof ChatzuriConversationStartedSchema>;

/** `conversation.ended` and `escalation.triggered` (undocumented data): why. */
export const ChatzuriReasonSchema = z.looseObject({
  ...ConversationShape,
  reason: z.nullish(z.string()),
});

/** `feedback.submitted` (undocumented data): a rating and a comment. */
export const ChatzuriFeedbackSchema = z.looseObject({
  ...ConversationShape,
  rating: z.nullish(z.union([z.number(), z.string()])),
  comment: z.nullish(z.string()),
  /** Plausible alternative name of `comment`. */
  feedback: z.nullish(z.string()),
});
