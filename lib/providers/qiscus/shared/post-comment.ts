/** Recognition of the `post_comment_mobile` / `post_comment_rest` delivery, shared by both Qiscus providers. */
import type { Recognition } from '../../../events/delivery.js';
import { qiscusMessageEventId } from './event-id.js';
import { toNormalisedMessage } from './message.js';
import { qiscusUserParticipant } from './people.js';
import { qiscusRoomChannel, qiscusRoomId } from './room.js';
import { QiscusPostCommentSchema } from './schemas.js';
import { firstUsableTime } from './time.js';

/**
 * Recognises a comment event as `message.received`: the Omnichannel bot webhook and the Chat SDK webhook,
 * with the comment type at the top level or only in `payload`, and with or without room participants
 * (public channels leave them out).
 *
 * @param payload - the parsed body
 * @returns the recognition, or undefined when the payload is not a comment event
 */
export function recognisePostComment(payload: unknown): Recognition | undefined {
  const parsed = QiscusPostCommentSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { from, room, message } = parsed.data.payload;
  const sender = qiscusUserParticipant(from);
  const conversationId = qiscusRoomId(room);
  return {
    type: 'message.received',
    id: qiscusMessageEventId('message', message, conversationId, sender.id),
    time: firstUsableTime(message.timestamp, message['unix_timestamp'], message['created_at']),
    data: {
      conversationId,
      channel: qiscusRoomChannel(room),
      sender,
      message: toNormalisedMessage(message),
    },
  };
}
