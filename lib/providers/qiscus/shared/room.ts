/** What a Qiscus room says about the conversation: its id and its channel. */
import { asMeaningfulId, asRecordOrJson, asText } from '../../kit/coerce.js';
import type { QiscusRoom } from './schemas.js';

/** The room id as a string (`id_str` first: int64 ids lose precision as JSON numbers); null for `0`. */
export function qiscusRoomId(room: QiscusRoom): string | null {
  return asMeaningfulId(room.id_str) ?? asMeaningfulId(room.id);
}

/**
 * The channel the room belongs to (`wa`, `qiscus`, `line`...), from `room.options.source` or
 * `room.options.channel`, whether `options` came as an object or as a JSON-encoded string; null when unknown.
 */
export function qiscusRoomChannel(room: QiscusRoom): string | null {
  const options = asRecordOrJson(room.options);
  return asText(options?.source) ?? asText(options?.channel);
}
