/**
 * Event ids for events about one Qiscus message. The id keys the worker's idempotency record, so two different events
 * must never share one (the second would not run) and a retried delivery must get the same one again.
 *
 * - A non-zero message id is assigned by the Qiscus server and unique within the app: it is used first, read
 *   digit for digit (`id_str`, else `id` as its source text: ids past 2^53 do not survive a double).
 * - `unique_temp_id` is made up by the sending client (the SDKs derive it from the clock), so two clients can
 *   send the same one; it is trusted only scoped to its room and its sender, the sender (a phone number or an
 *   email) as a digest ({@link personalIdPart}).
 * - One message can cause two events (a bot webhook and a new-session webhook), so the event kind names the
 *   form (`message`, `new-session`), and a temporary id has forms of its own (`message-temp`...).
 * - With neither (message id `0`, no `unique_temp_id`) there is no own id: the builder hashes the content,
 *   which is the same for a retry and differs between two messages (text, timestamp, room).
 */
import { asText } from '../../kit/coerce.js';
import { personalIdPart } from '../../kit/personal-id.js';
import type { OwnEventId } from '../../../events/delivery.js';
import { qiscusMessageId } from './message.js';
import type { QiscusMessage } from './schemas.js';

/**
 * The provider's own id for an event about a message, or undefined when it has none.
 *
 * @param kind - the event kind, so that two events about one message differ (`message`, `new-session`)
 * @param message - the Qiscus message
 * @param roomId - the room the message was posted in
 * @param senderId - who posted it
 * @example qiscusMessageEventId('message', { id: 1523, type: 'text' }, '17', 'u@x') // ['message', '1523']
 * @example qiscusMessageEventId('message', { id: 0, unique_temp_id: 'bq1' }, '17', 'u@x') // ['message-temp', '17', '4ab253d1c21cbc8d35f9257716a521d1', 'bq1']
 */
export function qiscusMessageEventId(
  kind: 'message' | 'new-session',
  message: QiscusMessage,
  roomId: string | null,
  senderId: string | null,
): OwnEventId | undefined {
  const id = qiscusMessageId(message);
  if (id !== null) return [kind, id];
  const temporaryId = asText(message.unique_temp_id);
  if (temporaryId !== null && roomId !== null && senderId !== null) return [`${kind}-temp`, roomId, personalIdPart(senderId), temporaryId];
  return undefined;
}
