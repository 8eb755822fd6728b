/**
 * What kind of file a Qiscus `file_attachment` is. Qiscus sends one message type for every file and no MIME
 * type, so the file name's extension (or the URL's) is all there is; anything unknown stays a plain `file`.
 */
import type { MessageType } from '../../../events/schema.js';

const EXTENSION_TYPES: ReadonlyMap<string, MessageType> = new Map<string, MessageType>([
  ...['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'heic', 'heif', 'svg', 'tif', 'tiff'].map(
    (extension) => [extension, 'image'] as const,
  ),
  ...['mp4', 'mov', 'm4v', '3gp', 'webm', 'mkv', 'avi', 'mpeg', 'mpg'].map((extension) => [extension, 'video'] as const),
  // ogg/opus are WhatsApp voice notes far more often than videos.
  ...['mp3', 'ogg', 'oga', 'opus', 'wav', 'm4a', 'aac', 'amr', 'flac', 'weba'].map(
    (extension) => [extension, 'audio'] as const,
  ),
  ...['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp', 'rtf', 'txt', 'csv'].map(
    (extension) => [extension, 'document'] as const,
  ),
]);

/** The lower-case extension of the last path segment of a file name or URL, without query or fragment. */
function extensionOf(nameOrUrl: string): string | undefined {
  const path = nameOrUrl.split(/[?#]/, 1)[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  const dot = segment.lastIndexOf('.');
  return dot > 0 ? segment.slice(dot + 1).toLowerCase() : undefined;
}

/**
 * The normalised type of an attached file: `image`, `video`, `audio` or `document` when its extension says so,
 * otherwise `file`.
 *
 * @param fileName - the `file_name` Qiscus sent, tried first (a URL may have no extension)
 * @param url - the file's URL
 * @example fileMessageType(null, 'https://cdn.example/abc/photo.JPG?x=1') // 'image'
 */
export function fileMessageType(fileName: string | null, url: string | null): MessageType {
  for (const candidate of [fileName, url]) {
    const extension = candidate === null ? undefined : extensionOf(candidate);
    const type = extension === undefined ? undefined : EXTENSION_TYPES.get(extension);
    if (type !== undefined) return type;
  }
  return 'file';
}
