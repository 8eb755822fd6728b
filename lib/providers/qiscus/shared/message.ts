/**
 * A Qiscus message ("comment") as a normalised message: the one mapping both Qiscus providers use, for the bot
 * webhook, the Chat SDK webhook and the Omnichannel new-session webhook alike.
 */
import type { Media, Message, MessageType } from '../../../events/schema.js';
import { asMeaningfulId, asRecord, asText } from '../../kit/coerce.js';
import { fileMessageType } from './file-type.js';
import type { QiscusMessage } from './schemas.js';

// A Map, not an object literal: a message type named `constructor` must not find Object.prototype's.
const MESSAGE_TYPES: ReadonlyMap<string, MessageType> = new Map<string, MessageType>([
  ['text', 'text'],
  // A reply is text quoting another message; what the person wrote is its own text.
  ['reply', 'text'],
  ['file_attachment', 'file'],
  ['buttons', 'button'],
  ['button_postback_response', 'button'],
  ['card', 'card'],
  ['carousel', 'carousel'],
  ['custom', 'custom'],
  ['location', 'location'],
  ['contact_person', 'contacts'],
  ['account_linking', 'other'],
]);

// Older clients send a file as text only: "[file] https://... [/file]".
const FILE_TEXT = /^\s*\[file\]\s*(\S+)\s*\[\/file\]\s*$/i;

/** The message's own id: `id_str` first, because int64 ids lose precision as JSON numbers; `0` is no id. */
export function qiscusMessageId(message: QiscusMessage): string | null {
  return asMeaningfulId(message.id_str) ?? asMeaningfulId(message.id);
}

function fileMedia(message: QiscusMessage): Media {
  const payload = asRecord(message.payload);
  const url = asText(payload?.url) ?? FILE_TEXT.exec(message.text ?? '')?.[1] ?? null;
  return {
    id: null,
    url,
    // Qiscus sends no MIME type; guessing one from the extension would pass a guess off as a fact.
    mimeType: null,
    fileName: asText(payload?.file_name),
    caption: asText(payload?.caption),
    sha256: null,
  };
}

/**
 * Maps a Qiscus message to a normalised {@link Message}.
 *
 * - `file_attachment` becomes `image` / `video` / `audio` / `document` by the file's extension, else `file`;
 *   its `text` is the caption (Qiscus' own `text` is only `[file] url [/file]`), and `media` carries url,
 *   file name and caption.
 * - `reply` is `text`; `buttons` and `button_postback_response` are `button`; `contact_person` is `contacts`;
 *   `account_linking` and any unknown type are `other`.
 * - `id` is null when Qiscus sends `0` (it often does).
 *
 * @param message - the `payload.message` of a comment event, already validated
 */
export function toNormalisedMessage(message: QiscusMessage): Message {
  const id = qiscusMessageId(message);
  const type = MESSAGE_TYPES.get(message.type ?? '') ?? 'other';
  if (type !== 'file') return { id, type, text: asText(message.text) };
  const media = fileMedia(message);
  return { id, type: fileMessageType(media.fileName, media.url), text: media.caption, media };
}
