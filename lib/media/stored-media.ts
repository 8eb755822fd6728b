/**
 * For handlers: the file of an attachment the worker stored (`media.stored`), read as a stream or linked for someone
 * else. The worker's role may read `media/` (and decrypt with the archive's key), so a handler can do both.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StoredMedia } from '../events/schema.js';

/**
 * A stored file's bytes, as a stream: pipe it on, never read a 100 MB video into memory.
 *
 * @example const bytes = await openStoredMedia(s3, media.stored, { signal });
 */
export async function openStoredMedia(s3: S3Client, stored: StoredMedia, options: { readonly signal?: AbortSignal } = {}): Promise<Readable> {
  const object = await s3.send(new GetObjectCommand({ Bucket: stored.bucket, Key: stored.key }), { abortSignal: options.signal });
  return object.Body as Readable;
}

/** How long a link works by default: 15 minutes. */
const DEFAULT_EXPIRES_IN_SECONDS = 900;

/**
 * A presigned HTTPS link to a stored file, valid `expiresInSeconds` (at most 7 days, and no longer than the worker
 * role's session: a link signed in Lambda dies with its credentials, within hours). It is served with its stored
 * type, as a download named `fileName` when given.
 *
 * @example const link = await presignedMediaUrl(s3, media.stored, { fileName: media.fileName ?? undefined });
 */
export async function presignedMediaUrl(
  s3: S3Client,
  stored: StoredMedia,
  options: { readonly expiresInSeconds?: number; readonly fileName?: string | undefined } = {},
): Promise<string> {
  const fileName = options.fileName?.replace(/["\\\r\n]/g, '_');
  const command = new GetObjectCommand({
    Bucket: stored.bucket,
    Key: stored.key,
    ResponseContentType: stored.contentType,
    ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName}"` } : {}),
  });
  return await getSignedUrl(s3, command, { expiresIn: Math.min(options.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS, 7 * 24 * 3600) });
}
