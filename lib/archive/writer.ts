import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GatewayError } from '../events/errors.js';
import type { WebhookEvent } from '../events/schema.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_PREFIX, archiveObjectKey, toArchiveLine, type ArchiveMark } from './format.js';

const compress = promisify(gzip);

/** The archive did not take a batch: none of its events may be handled. */
export class ArchiveWriteError extends GatewayError<'archive_failed'> {
  override readonly name: string = 'ArchiveWriteError';

  constructor(message: string, options?: ErrorOptions) {
    super('archive_failed', message, options);
  }
}

/** Where the archive is. */
export interface ArchiveStore {
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default ARCHIVE_PREFIX */
  readonly prefix?: string;
}

/** One event of a batch, with the queue's sequence number (its order in its message group). */
export interface ArchiveEntry {
  readonly event: WebhookEvent;
  readonly sequence?: string | undefined;
  /** A line recording what became of the event, not its arrival. */
  readonly mark?: ArchiveMark | undefined;
}

/**
 * Writes the events of one batch to the archive as one gzip-compressed JSON Lines object, in batch order,
 * and resolves with its key only once S3 has stored it. An empty batch writes nothing.
 *
 * @throws ArchiveWriteError when S3 refuses, fails or cannot be reached
 */
export async function archiveBatch(store: ArchiveStore, entries: readonly ArchiveEntry[], now: Date = new Date(), signal?: AbortSignal): Promise<string | undefined> {
  if (entries.length === 0) return undefined;
  if (!store.bucket) throw new ArchiveWriteError(`No archive bucket is configured (${ARCHIVE_BUCKET_VARIABLE})`);
  const lines = entries.map(({ event, sequence, mark }) => `${JSON.stringify(toArchiveLine(event, now, sequence, mark))}\n`);
  const key = archiveObjectKey(now, randomUUID(), store.prefix ?? ARCHIVE_PREFIX);
  try {
    await store.s3.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: key,
        Body: await compress(lines.join('')),
        // Not Content-Encoding: gzip, which some clients undo on download; Athena reads `.gz` by its name.
        ContentType: 'application/gzip',
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    throw new ArchiveWriteError(`Archiving ${entries.length} events to s3://${store.bucket}/${key} failed`, { cause: error });
  }
  return key;
}
