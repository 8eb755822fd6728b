/** What the two Qiscus providers share: the comment-event payload, its normalisation, and the signature. */
export { qiscusMessageEventId } from './event-id.js';
export { toNormalisedMessage } from './message.js';
export { qiscusUserId } from './people.js';
export { recognisePostComment } from './post-comment.js';
export { qiscusRoomChannel, qiscusRoomId } from './room.js';
export { QiscusIdSchema, QiscusMessageSchema, QiscusRoomSchema, QiscusTimeSchema, QiscusUserSchema } from './schemas.js';
export { verifyQiscusSignature } from './signature.js';
export type { QiscusSignatureScheme } from './signature.js';
export { firstUsableTime } from './time.js';
