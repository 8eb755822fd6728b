/**
 * Zod schemas of the `post_comment_mobile` / `post_comment_rest` payload that both Qiscus products send
 * (the Omnichannel bot webhook and the Chat SDK webhook), and of its parts, which the Omnichannel new-session
 * webhook reuses.
 *
 * Every object is loose: real deliveries carry more fields than the documentation shows, and a field we do
 * not read must never make a delivery unrecognisable. Only what tells the shape apart is required.
 */
import * as z from 'zod/mini';

/** An id as Qiscus sends it: a number in the documentation, often a string (`"id": 0, "id_str": "0"`) in real deliveries. */
export const QiscusIdSchema = z.union([z.number(), z.string()]);

/** A time as Qiscus sends it: an ISO string (`2023-09-20T04:39:59Z`) or an epoch integer. */
export const QiscusTimeSchema = z.union([z.string(), z.number()]);

/** The two comment events: from a client (`mobile`) or from the server REST API (`rest`). */
const QiscusCommentTypeSchema = z.enum(['post_comment_mobile', 'post_comment_rest']);

/** A Qiscus user (`payload.from`): `email` is the SDK user id, `id` the numeric one (often `0`). */
export const QiscusUserSchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  id_str: z.nullish(z.string()),
  email: z.nullish(z.string()),
  name: z.nullish(z.string()),
  username: z.nullish(z.string()),
  avatar_url: z.nullish(z.string()),
});
export type QiscusUser = z.infer<typeof QiscusUserSchema>;

/** A chat room. `options` is an object in the documentation and a JSON-encoded string in real deliveries. */
export const QiscusRoomSchema = z.looseObject({
  id: QiscusIdSchema,
  id_str: z.nullish(z.string()),
  topic_id: z.nullish(QiscusIdSchema),
  type: z.nullish(z.string()),
  name: z.nullish(z.string()),
  options: z.nullish(z.union([z.string(), z.looseObject({})])),
  is_public_channel: z.nullish(z.boolean()),
  // Deprecated by Qiscus and left out in public channels: optional.
  participants: z.nullish(z.array(QiscusUserSchema)),
});
export type QiscusRoom = z.infer<typeof QiscusRoomSchema>;

/**
 * A message (a "comment" in Qiscus' words). `type` is open: an unknown type is normalised to `other`
 * rather than refused. `payload` is type-specific (`url`/`caption` of a file, `buttons`, `{type, content}`...).
 */
export const QiscusMessageSchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  id_str: z.nullish(z.string()),
  type: z.nullish(z.string()),
  text: z.nullish(z.string()),
  payload: z.optional(z.unknown()),
  timestamp: z.nullish(QiscusTimeSchema),
  unique_temp_id: z.nullish(z.string()),
});
export type QiscusMessage = z.infer<typeof QiscusMessageSchema>;

/** The `payload` of a comment event: who wrote what in which room. */
const QiscusCommentPayloadSchema = z.looseObject({
  // Some deliveries carry the comment type here only, not at the top level.
  type: z.optional(QiscusCommentTypeSchema),
  from: QiscusUserSchema,
  room: QiscusRoomSchema,
  message: QiscusMessageSchema,
});

/**
 * A `post_comment_mobile` / `post_comment_rest` delivery. The comment type may stand at the top level or
 * only inside `payload`, but it must stand somewhere: it is what tells this shape apart from the
 * Omnichannel new-session webhook, whose `payload` has the same `from` / `room` / `message`.
 */
export const QiscusPostCommentSchema = z
  .looseObject({
    type: z.optional(QiscusCommentTypeSchema),
    payload: QiscusCommentPayloadSchema,
  })
  .check(
    z.refine((delivery) => delivery.type !== undefined || delivery.payload.type !== undefined, {
      error: 'post_comment_mobile or post_comment_rest expected in type or payload.type',
    }),
  );
