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
import * as z from 'zod/mini';

/** An id or phone number: documented as a string, accepted as a number too (some senders serialise them so). */
const IdSchema = z.union([z.string().check(z.minLength(1)), z.number()]);

/** A timestamp: documented as an ISO string; epoch numbers are read too (see `asIsoTime`). */
const TimestampSchema = z.union([z.string(), z.number()]);

/** `contacts[]` of an incoming message: the customer's WhatsApp profile and the business number written to. */
const QikchatContactSchema = z.looseObject({
  profile: z.optional(z.looseObject({ name: z.optional(z.string()) })),
  to: z.optional(IdSchema),
});

/** `payload.message`: who wrote, when, which type; the content sits in a field named after the type. */
const QikchatMessageSchema = z.looseObject({
  from: IdSchema,
  type: z.string().check(z.minLength(1)),
  timestamp: z.optional(TimestampSchema),
});
export type QikchatMessage = z.infer<typeof QikchatMessageSchema>;

/** `whatsapp:message:in`: a customer sent the business a message. */
export const QikchatIncomingMessageSchema = z.looseObject({
  event: z.literal('whatsapp:message:in'),
  payload: z.looseObject({
    /** Qikchat's message id, unique per message. */
    id: IdSchema,
    /** The channel, `whatsapp` in every documented sample. */
    name: z.optional(z.string()),
    contacts: z.optional(z.array(QikchatContactSchema)),
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
    name: z.optional(z.string()),
    from: z.optional(IdSchema),
    to: z.optional(IdSchema),
    status: z.string().check(z.minLength(1)),
    timestamp: z.optional(TimestampSchema),
  }),
});
export type QikchatStatus = z.infer<typeof QikchatStatusSchema>;

/** `message.text` of a `text` message. */
export const QikchatTextSchema = z.looseObject({ body: z.string() });

/** `message.image` / `video` / `audio` / `sticker` / `document`: WhatsApp media as Qikchat forwards it. */
export const QikchatMediaSchema = z.looseObject({
  id: z.optional(IdSchema),
  url: z.optional(z.string()),
  mime_type: z.optional(z.string()),
  sha256: z.optional(z.string()),
  /** Documents only. */
  filename: z.optional(z.string()),
  /** Image, video and document captions. */
  caption: z.optional(z.string()),
});

/** A tapped reply button or chosen list row. */
const QikchatReplySchema = z.looseObject({ id: z.optional(IdSchema), title: z.optional(z.string()) });

/** `message.interactive`: the customer's answer to an interactive message the business sent. */
export const QikchatInteractiveSchema = z.looseObject({
  type: z.optional(z.string()),
  button_reply: z.optional(QikchatReplySchema),
  list_reply: z.optional(z.extend(QikchatReplySchema, { description: z.optional(z.string()) })),
});

/** `message.button`: a tapped quick-reply button of a template message (WhatsApp's `button` type). */
export const QikchatButtonSchema = z.looseObject({ text: z.optional(z.string()), payload: z.optional(z.string()) });

/** `message.reaction`: an emoji on an earlier message; an empty emoji removes the reaction. */
export const QikchatReactionSchema = z.looseObject({
  emoji: z.optional(z.string()),
  message_id: z.optional(IdSchema),
});
