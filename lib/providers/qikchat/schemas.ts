/**
 * Zod schemas of Qikchat's webhook payloads (WhatsApp Business API reseller).
 *
 * Two envelopes share `{event, payload}`: `whatsapp:message:in` and `whatsapp:message:status`. Other
 * WhatsApp resellers use the same event names with other shapes, so the envelope schemas below insist
 * on Qikchat's shape (a `payload.message` with `from` and `type`; a `payload.status`), not only on the
 * event name. Every object is loose: fields Qikchat adds later pass through and stay in `raw`.
 *
 * The per-type message content schemas (`QikchatTextSchema`...) are deliberately separate from the
 * envelope: a message whose content does not match still is a message (its type is known), it only
 * loses the fields we could not read.
 */
import { z } from 'zod';

/** An id or phone number: documented as a string, accepted as a number too (some senders serialise them so). */
const IdSchema = z.union([z.string().min(1), z.number()]);

/** A timestamp: documented as an ISO string; epoch numbers are read too (see `asIsoTime`). */
const TimestampSchema = z.union([z.string(), z.number()]);

/** `contacts[]` of an incoming message: the customer's WhatsApp profile and the business number written to. */
export const QikchatContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional() }).optional(),
  to: IdSchema.optional(),
});
export type QikchatContact = z.infer<typeof QikchatContactSchema>;

/** `payload.message`: who wrote, when, which type; the content sits in a field named after the type. */
export const QikchatMessageSchema = z.looseObject({
  from: IdSchema,
  type: z.string().min(1),
  timestamp: TimestampSchema.optional(),
});
export type QikchatMessage = z.infer<typeof QikchatMessageSchema>;

/** `whatsapp:message:in`: a customer sent the business a message. */
export const QikchatIncomingMessageSchema = z.looseObject({
  event: z.literal('whatsapp:message:in'),
  payload: z.looseObject({
    /** Qikchat's message id, unique per message. */
    id: IdSchema,
    /** The channel, `whatsapp` in every documented sample. */
    name: z.string().optional(),
    contacts: z.array(QikchatContactSchema).optional(),
    message: QikchatMessageSchema,
  }),
});
export type QikchatIncomingMessage = z.infer<typeof QikchatIncomingMessageSchema>;

/** `whatsapp:message:status`: a message the business sent was sent, delivered, read, failed, deleted... */
export const QikchatStatusSchema = z.looseObject({
  event: z.literal('whatsapp:message:status'),
  payload: z.looseObject({
    /** The id of the message the business sent (the same for its sent, delivered and read callbacks). */
    id: IdSchema,
    name: z.string().optional(),
    from: IdSchema.optional(),
    to: IdSchema.optional(),
    status: z.string().min(1),
    timestamp: TimestampSchema.optional(),
  }),
});
export type QikchatStatus = z.infer<typeof QikchatStatusSchema>;

/** `message.text` of a `text` message. */
export const QikchatTextSchema = z.looseObject({ body: z.string() });
export type QikchatText = z.infer<typeof QikchatTextSchema>;

/** `message.image` / `video` / `audio` / `sticker` / `document`: WhatsApp media as Qikchat forwards it. */
export const QikchatMediaSchema = z.looseObject({
  id: IdSchema.optional(),
  url: z.string().optional(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  /** Documents only. */
  filename: z.string().optional(),
  /** Image, video and document captions. */
  caption: z.string().optional(),
});
export type QikchatMedia = z.infer<typeof QikchatMediaSchema>;

/** `message.location`: a shared pin; `name` and `address` only for a named place. */
export const QikchatLocationSchema = z.looseObject({
  latitude: z.union([z.number(), z.string()]),
  longitude: z.union([z.number(), z.string()]),
  name: z.string().optional(),
  address: z.string().optional(),
});
export type QikchatLocation = z.infer<typeof QikchatLocationSchema>;

/** `message.contacts`: one or more shared contact cards (WhatsApp's vCard-like structure). */
export const QikchatContactCardsSchema = z.array(
  z.looseObject({
    name: z.looseObject({ formatted_name: z.string().optional() }).optional(),
    phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
  }),
);
export type QikchatContactCards = z.infer<typeof QikchatContactCardsSchema>;

/** A tapped reply button or chosen list row. */
const QikchatReplySchema = z.looseObject({ id: IdSchema.optional(), title: z.string().optional() });

/** `message.interactive`: the customer's answer to an interactive message the business sent. */
export const QikchatInteractiveSchema = z.looseObject({
  type: z.string().optional(),
  button_reply: QikchatReplySchema.optional(),
  list_reply: QikchatReplySchema.extend({ description: z.string().optional() }).optional(),
});
export type QikchatInteractive = z.infer<typeof QikchatInteractiveSchema>;

/** `message.button`: a tapped quick-reply button of a template message (WhatsApp's `button` type). */
export const QikchatButtonSchema = z.looseObject({ text: z.string().optional(), payload: z.string().optional() });
export type QikchatButton = z.infer<typeof QikchatButtonSchema>;

/** `message.reaction`: an emoji on an earlier message; an empty emoji removes the reaction. */
export const QikchatReactionSchema = z.looseObject({
  emoji: z.string().optional(),
  message_id: IdSchema.optional(),
});
export type QikchatReaction = z.infer<typeof QikchatReactionSchema>;
