/**
 * New session webhook: a customer's first message, or the first after their previous conversation was
 * resolved. Its `payload` has the `from` / `room` / `message` of a bot webhook but no comment type; what marks
 * it is `webhook_type: NEW_SESSION_WEBHOOK` (or `is_new_session` with a `room_log`).
 */
import * as z from 'zod/mini';
import { asId, asMeaningfulId, asText, participant } from '../../../kit/coerce.js';
import {
  QiscusIdSchema,
  QiscusMessageSchema,
  QiscusRoomSchema,
  QiscusTimeSchema,
  QiscusUserSchema,
  firstUsableTime,
  qiscusMessageEventId,
  qiscusRoomChannel,
  qiscusRoomId,
  qiscusUserId,
  toNormalisedMessage,
} from '../../shared/index.js';
import type { OmnichannelKind } from '../kind.js';

/** The room's log entry for the new session. */
export const RoomLogSchema = z.looseObject({
  room_id: z.nullish(QiscusIdSchema),
  user_id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  source: z.nullish(z.string()),
  channel_id: z.nullish(QiscusIdSchema),
  created_at: z.nullish(QiscusTimeSchema),
});

/** The new-session payload: a comment payload without a comment type, marked as a new session, with the room's log. */
export const NewSessionSchema = z
  .looseObject({
    webhook_type: z.optional(z.literal('NEW_SESSION_WEBHOOK')),
    is_new_session: z.optional(z.boolean()),
    payload: z.nullish(
      z.looseObject({
        from: z.nullish(QiscusUserSchema),
        room: z.nullish(QiscusRoomSchema),
        message: z.nullish(QiscusMessageSchema),
      }),
    ),
    room_log: z.nullish(RoomLogSchema),
  })
  .check(
    z.refine(
      (session) =>
        session.webhook_type !== undefined || (session.is_new_session === true && session.room_log != null),
      { message: 'webhook_type NEW_SESSION_WEBHOOK, or is_new_session with a room_log, expected' },
    ),
  );
export type NewSession = z.infer<typeof NewSessionSchema>;

/**
 * The refinement of {@link NewSessionSchema}, read on the raw payload before any parsing. Recognition tries
 * new session first, so every bot webhook (the commonest delivery) went through a whole parse of its
 * from/room/message only to fail at this last check: about 27 µs per delivery, a tenth of the receiver's own
 * work. A necessary condition only, never a sufficient one: what passes is still parsed in full, and nothing
 * the schema would accept fails it (test/providers/qiscus-omnichannel.test.ts checks this on generated input).
 */
export function mayBeNewSession(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const { webhook_type: type, is_new_session: isNew, room_log: log } = payload as Record<string, unknown>;
  return type !== undefined || (isNew === true && log != null);
}

/** New session → `conversation.started`, with the customer and the message that opened it. */
export const newSessionKind: OmnichannelKind = {
  hint: 'new-session',
  recognise(payload) {
    if (!mayBeNewSession(payload)) return undefined;
    const parsed = NewSessionSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { payload: comment, room_log: log } = parsed.data;
    const from = comment?.from ?? undefined;
    const room = comment?.room ?? undefined;
    const message = comment?.message ?? undefined;
    const conversationId = (room ? qiscusRoomId(room) : null) ?? asMeaningfulId(log?.room_id);
    const customer =
      from || log
        ? participant({
            id: (from ? qiscusUserId(from) : null) ?? asId(log?.user_id),
            name: asText(from?.name) ?? asText(log?.name),
            email: asText(from?.email),
            role: 'customer',
          })
        : null;
    return {
      type: 'conversation.started',
      id: message ? qiscusMessageEventId('new-session', message, conversationId, customer?.id ?? null) : undefined,
      time: firstUsableTime(message?.timestamp, log?.created_at),
      data: {
        conversationId,
        channel: (room ? qiscusRoomChannel(room) : null) ?? asText(log?.source),
        customer,
        message: message ? toNormalisedMessage(message) : null,
      },
    };
  },
};
