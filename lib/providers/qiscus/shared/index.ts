/** What the two Qiscus providers share: the comment-event payload, its normalisation, and the signature. */
export { fileMessageType } from './file-type.js';
export { qiscusMessageEventId } from './event-id.js';
export { qiscusMessageId, toNormalisedMessage } from './message.js';
export { qiscusUserId, qiscusUserParticipant } from './people.js';
export { recognisePostComment } from './post-comment.js';
export { qiscusRoomChannel, qiscusRoomId } from './room.js';
export {
  QiscusCommentPayloadSchema,
  QiscusCommentTypeSchema,
  QiscusIdSchema,
  QiscusMessageSchema,
  QiscusPostCommentSchema,
  QiscusRoomSchema,
  QiscusTimeSchema,
  QiscusUserSchema,
} from './schemas.js';
export type {
  QiscusCommentPayload,
  QiscusCommentType,
  QiscusId,
  QiscusMessage,
  QiscusPostComment,
  QiscusRoom,
  QiscusUser,
} from './schemas.js';
export { verifyQiscusSignature } from './signature.js';
export { firstUsableTime } from './time.js';
export type { QiscusSignatureScheme } from './signature.js';
