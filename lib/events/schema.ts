/**
 * The normalised event every delivery becomes: a CloudEvents 1.0 event in structured JSON mode.
 *
 * This file is the contract between the receivers and everything downstream (the worker, user handlers,
 * consumers in other languages through `lib/events/webhook-event.schema.json`, which `npm run schema`
 * generates from it). Change it with care: a field removed here is a breaking change for every consumer.
 */
import * as z from 'zod';
import { SQS_ID_CHARACTERS, SQS_ID_MAXIMUM_LENGTH } from './sqs-id.js';

/** Every `type` the gateway emits. `event.unrecognized` is the fallback for authentic but unknown deliveries. */
export const EVENT_TYPES = [
  'message.received',
  'message.status_updated',
  'message.sent',
  'conversation.started',
  'conversation.resolved',
  'conversation.ended',
  'agent.allocation_requested',
  'custom_button.clicked',
  'user.logged_out',
  'lead.submitted',
  'feedback.submitted',
  'escalation.triggered',
  'event.unrecognized',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The normalised kinds of a chat message, whatever the provider calls them. */
const MESSAGE_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'file',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'button',
  'card',
  'carousel',
  'custom',
  'other',
] as const;
const MessageTypeSchema = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof MessageTypeSchema>;

/** Where the worker stored an attachment's file: an object of the archive bucket, under `media/`. */
const StoredMediaSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** SHA-256 of the stored bytes, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Bytes stored. */
  size: z.number().int().nonnegative(),
  contentType: z.string().min(1),
});
export type StoredMedia = z.infer<typeof StoredMediaSchema>;

/** Why the worker could not store an attachment's file (after its retries); the event goes on with the URL. */
const MediaStoreFailureSchema = z.object({
  /** A stable word: `not_found`, `http_status`, `too_large`, `sha256_mismatch`, `timeout`, `refused`, `download_failed`, `store_failed`... */
  reason: z.string().min(1),
  /** One line for a person: what happened, naming the host, never the URL's query or a credential. */
  message: z.string(),
});
export type MediaStoreFailure = z.infer<typeof MediaStoreFailureSchema>;

/** An attachment, as far as the provider describes it. Every field is nullable: providers send what they have. */
const MediaSchema = z.object({
  id: z.string().nullable(),
  url: z.string().nullable(),
  mimeType: z.string().nullable(),
  fileName: z.string().nullable(),
  caption: z.string().nullable(),
  sha256: z.string().nullable(),
  /**
   * Set by the worker before any handler runs: where the file is kept (in the archive bucket, expiring with the
   * archive), or null when it could not be stored (then `storeFailure` says why). Absent where the worker has not
   * looked: the receiver's event, an attachment without a URL, or a worker that stores no media.
   */
  stored: StoredMediaSchema.nullable().optional(),
  /** Present when `stored` is null. */
  storeFailure: MediaStoreFailureSchema.optional(),
});
export type Media = z.infer<typeof MediaSchema>;

const MessageSchema = z.object({
  /** The provider's message id, or null when it has none (or only a meaningless `0`). */
  id: z.string().nullable(),
  type: MessageTypeSchema,
  /** The text the person wrote (or the caption of a media message); null when there is none. */
  text: z.string().nullable(),
  media: MediaSchema.optional(),
});
export type Message = z.infer<typeof MessageSchema>;

/** A person taking part: a customer, an agent, an admin. `role` is the provider's word for it (`agent`, `admin`...). */
const ParticipantSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

/** What every event's `data` carries, whatever its type. */
const CommonDataShape = {
  /** Qiscus room id, Qikchat customer number (`message.from`), Chatzuri `conversationId`; null when there is none. */
  conversationId: z.string().nullable(),
  /** The channel as the provider names it (`whatsapp`, `wa`, `web`...); null when unknown. */
  channel: z.string().nullable(),
  /**
   * The provider's payload as received, parsed: every key and string as sent, every number with its value,
   * and a number a double cannot hold faithfully (an integer past 2^53 or from 10^21 up, `1e400`, more
   * digits than a double keeps) with its exact digits, as a `JSON.rawJSON` value that `JSON.stringify`
   * writes verbatim. Whitespace, escapes and a number's spelling (`4.0`, `1E2`) are not kept; of a key sent
   * twice, the last value is. The body text when it is not JSON.
   */
  raw: z.unknown(),
};

const MessageReceivedDataSchema = z.object({
  ...CommonDataShape,
  sender: ParticipantSchema,
  message: MessageSchema,
});
const MessageStatusUpdatedDataSchema = z.object({
  ...CommonDataShape,
  /** As sent by the provider: `sent`, `delivered`, `read`, `failed`, `deleted`... */
  status: z.string(),
  messageId: z.string(),
  recipient: z.string().nullable(),
});
const MessageSentDataSchema = z.object({
  ...CommonDataShape,
  message: MessageSchema.nullable(),
  recipient: ParticipantSchema.nullable(),
});
const ConversationStartedDataSchema = z.object({
  ...CommonDataShape,
  customer: ParticipantSchema.nullable(),
  message: MessageSchema.nullable(),
});
const ConversationResolvedDataSchema = z.object({
  ...CommonDataShape,
  customer: ParticipantSchema.nullable(),
  resolvedBy: ParticipantSchema.nullable(),
  notes: z.string().nullable(),
});
const ConversationEndedDataSchema = z.object({
  ...CommonDataShape,
  reason: z.string().nullable(),
});
const AgentAllocationRequestedDataSchema = z.object({
  ...CommonDataShape,
  customer: ParticipantSchema.nullable(),
  candidateAgent: ParticipantSchema.nullable(),
});
const CustomButtonClickedDataSchema = z.object({
  ...CommonDataShape,
  agent: ParticipantSchema.nullable(),
  customer: ParticipantSchema.nullable(),
  /** The customer properties shown beside the button, as label/value pairs. */
  customerProperties: z.array(z.object({ label: z.string(), value: z.string().nullable() })),
});
const UserLoggedOutDataSchema = z.object({
  ...CommonDataShape,
  user: ParticipantSchema,
});
const LeadSubmittedDataSchema = z.object({
  ...CommonDataShape,
  lead: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
});
const FeedbackSubmittedDataSchema = z.object({
  ...CommonDataShape,
  rating: z.union([z.number(), z.string()]).nullable(),
  comment: z.string().nullable(),
});
const EscalationTriggeredDataSchema = z.object({
  ...CommonDataShape,
  reason: z.string().nullable(),
});
const UnrecognizedDataSchema = z.object({
  ...CommonDataShape,
  /**
   * Why the delivery was not recognised: its body was not JSON (or JSON nested deeper than 128 levels, kept
   * as text), or JSON of no known shape.
   */
  reason: z.enum(['not_json', 'unknown_shape']),
  /** `base64` when the body was not valid UTF-8 and `raw` holds its bytes in base64. */
  rawEncoding: z.enum(['utf8', 'base64']),
});

/** The `data` schema of each event type. */
const EventDataSchemas = {
  'message.received': MessageReceivedDataSchema,
  'message.status_updated': MessageStatusUpdatedDataSchema,
  'message.sent': MessageSentDataSchema,
  'conversation.started': ConversationStartedDataSchema,
  'conversation.resolved': ConversationResolvedDataSchema,
  'conversation.ended': ConversationEndedDataSchema,
  'agent.allocation_requested': AgentAllocationRequestedDataSchema,
  'custom_button.clicked': CustomButtonClickedDataSchema,
  'user.logged_out': UserLoggedOutDataSchema,
  'lead.submitted': LeadSubmittedDataSchema,
  'feedback.submitted': FeedbackSubmittedDataSchema,
  'escalation.triggered': EscalationTriggeredDataSchema,
  'event.unrecognized': UnrecognizedDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType> = z.infer<(typeof EventDataSchemas)[T]>;

/** The CloudEvents 1.0 context attributes shared by every event. */
const EnvelopeShape = {
  specversion: z.literal('1.0'),
  /**
   * Unique per event; the same delivery sent twice gets the same id. It keys the worker's idempotency record: 1 to
   * 128 printable ASCII characters, as SQS ids are (see `eventId` in `build.ts` for its forms).
   */
  id: z.string().min(1).max(SQS_ID_MAXIMUM_LENGTH).regex(SQS_ID_CHARACTERS),
  /** A URI-reference naming the provider: `/webhooks/<provider>`. */
  source: z.string().min(1),
  /** RFC 3339: when it happened if the payload says, else when it was received. */
  time: z.iso.datetime({ offset: true }),
  /** The conversation id when there is one. */
  subject: z.string().min(1).optional(),
  datacontenttype: z.literal('application/json'),
  /** CloudEvents extension attribute: the provider's slug. */
  provider: z.string().min(1),
  /** CloudEvents extension attribute of a replayed event (`npm run replay`): the id of the archived event it replays. */
  replayof: z.string().min(1).max(SQS_ID_MAXIMUM_LENGTH).regex(SQS_ID_CHARACTERS).optional(),
  /** CloudEvents extension attribute of a replayed event: when it was replayed (RFC 3339). */
  replayedat: z.iso.datetime({ offset: true }).optional(),
};

function eventSchema<T extends EventType>(type: T) {
  return z.object({ ...EnvelopeShape, type: z.literal(type), data: EventDataSchemas[type] });
}

export const WebhookEventSchema = z.discriminatedUnion('type', [
  eventSchema('message.received'),
  eventSchema('message.status_updated'),
  eventSchema('message.sent'),
  eventSchema('conversation.started'),
  eventSchema('conversation.resolved'),
  eventSchema('conversation.ended'),
  eventSchema('agent.allocation_requested'),
  eventSchema('custom_button.clicked'),
  eventSchema('user.logged_out'),
  eventSchema('lead.submitted'),
  eventSchema('feedback.submitted'),
  eventSchema('escalation.triggered'),
  eventSchema('event.unrecognized'),
]);
/** A normalised webhook event: one CloudEvent. */
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
/** The event of one given type. */
export type WebhookEventOf<T extends EventType> = Extract<WebhookEvent, { type: T }>;
