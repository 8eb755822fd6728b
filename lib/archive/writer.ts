import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GatewayError } from '../events/errors.js';
import type { WebhookEvent } from '../events/schema.js';
import { packLines, putRecords, type FirehoseStream } from './firehose.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_PREFIX, archiveObjectKey, toArchiveLine, type ArchiveMark } from './format.js';

const compress = promisify(gzip);

/** The archive did not take a batch: none of its events may be handled. */
export class ArchiveWriteError extends GatewayError<'archive_failed'> {
  override readonly name: string = 'ArchiveWriteError';

  constructor(message: string, options?: ErrorOptions) {
    super('archive_failed', message, options);
  }
}

/** Where the archive is: the bucket its objects are in, which the readers list and read. */
export interface ArchiveStore {
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default ARCHIVE_PREFIX */
  readonly prefix?: string;
  /**
   * Delivers what a buffer in front of the bucket still holds, so that a read sees every archived batch: the local
   * Firehose stand-in has it. In AWS there is none; what Firehose buffers is in the bucket after its interval.
   */
  readonly flush?: (() => Promise<void>) | undefined;
}

/** The archive through a Firehose stream, which writes the objects into the bucket after its buffer interval. */
export interface FirehoseArchiveStore extends FirehoseStream {
  /** The bucket itself, for a line larger than a Firehose record (an event near the queue's 1 MiB): its own object. */
  readonly direct: ArchiveStore;
}

/** Where the worker archives: straight into the bucket, an object per batch, or through Firehose. */
export type ArchiveDestination = ArchiveStore | FirehoseArchiveStore;

/** One event of a batch, with the queue's sequence number (its order in its message group). */
export interface ArchiveEntry {
  readonly event: WebhookEvent;
  readonly sequence?: string | undefined;
  /** A line recording what became of the event, not its arrival. */
  readonly mark?: ArchiveMark | undefined;
}

/**
 * Archives the events of one batch, in batch order, and resolves only once the archive has taken every one: to the
 * bucket, one gzip-compressed JSON Lines object (resolving with its key); through Firehose, its lines packed into
 * records (resolving with the key of the object of any line too large for a record). An empty batch writes nothing.
 *
 * @throws ArchiveWriteError when S3 or Firehose refuses, fails or cannot be reached, or a record stays refused
 */
export async function archiveBatch(store: ArchiveDestination, entries: readonly ArchiveEntry[], now: Date = new Date(), signal?: AbortSignal): Promise<string | undefined> {
  if (entries.length === 0) return undefined;
  const lines = entries.map(({ event, sequence, mark }) => `${JSON.stringify(toArchiveLine(event, now, sequence, mark))}\n`);
  if (!('firehose' in store)) return putArchiveObject(store, lines, now, signal);
  if (!store.deliveryStream) throw new ArchiveWriteError('No archive delivery stream is configured');
  const { records, oversize } = packLines(lines);
  try {
    await putRecords(store, records, signal);
  } catch (error) {
    throw new ArchiveWriteError(`Archiving ${entries.length} events through Firehose stream ${store.deliveryStream} failed`, { cause: error });
  }
  return oversize.length > 0 ? putArchiveObject(store.direct, oversize, now, signal) : undefined;
}

/** One gzip-compressed JSON Lines object of the lines, under the partition of `now`. */
async function putArchiveObject(store: ArchiveStore, lines: readonly string[], now: Date, signal?: AbortSignal): Promise<string> {
  if (!store.bucket) throw new ArchiveWriteError(`No archive bucket is configured (${ARCHIVE_BUCKET_VARIABLE})`);
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
    throw new ArchiveWriteError(`Archiving ${lines.length} events to s3://${store.bucket}/${key} failed`, { cause: error });
  }
  return key;
}
