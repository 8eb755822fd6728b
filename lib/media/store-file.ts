import { createHash, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import * as z from 'zod';
import type { StoredMedia } from '../events/schema.js';
import type { OutboundResponse } from '../net/outbound.js';
import { MediaStoreError } from './errors.js';

/** 5 MiB, S3's smallest part: with one part in flight, a file of any size holds about two parts in memory. */
const PART_BYTES = 5 * 1024 * 1024;

/** Where and how one file is stored. */
export interface FileTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  /** The provider's SHA-256 of the file (hex or base64), checked before the object is completed. */
  readonly expectedSha256?: string | null | undefined;
  /** No bytes for this many ms: the download fails as a timeout (and is retried). */
  readonly idleMs: number;
  readonly signal: AbortSignal;
}

/** The provider's digest as bytes: WhatsApp gives base64, others hex; undefined when it is neither (not checked). */
function digestBytes(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** Counts, hashes and checks the bytes on their way to S3: past the limit, or with the wrong digest at the end, the stream fails, so S3 never completes the object. */
class CheckedBytes extends Transform {
  readonly #hash = createHash('sha256');
  #size = 0;
  #digest = '';

  constructor(
    private readonly maxBytes: number,
    private readonly expected: Buffer | undefined,
    private readonly host: string,
    private readonly onBytes: () => void,
  ) {
    super();
  }

  // Not `size` or `length`: lib-storage would take either for the body's length before a byte is read.
  get bytesSeen(): number {
    return this.#size;
  }

  get sha256(): string {
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#size += chunk.length;
    this.onBytes();
    if (this.#size > this.maxBytes) {
      done(new MediaStoreError('too_large', `The file from ${this.host} is larger than the limit of ${String(this.maxBytes)} bytes`));
      return;
    }
    this.#hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const digest = this.#hash.digest();
    this.#digest = digest.toString('hex');
    if (this.expected && !timingSafeEqual(digest, this.expected)) {
      done(new MediaStoreError('sha256_mismatch', `The file from ${this.host} does not have the SHA-256 the provider gave`));
      return;
    }
    done();
  }
}

/**
 * Streams an answer's body into S3 as it arrives (a multipart upload past {@link PART_BYTES}): never whole in memory,
 * its SHA-256 computed on the way, the size limit and the provider's digest checked before the object completes.
 * A Content-Length over the limit is refused before any byte is read.
 *
 * @throws MediaStoreError `too_large`, `sha256_mismatch`, `timeout`, `download_failed` or `store_failed`
 */
export async function streamToS3(response: OutboundResponse, host: string, target: FileTarget): Promise<StoredMedia> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > target.maxBytes) {
    response.body.destroy();
    throw new MediaStoreError('too_large', `The file from ${host} is ${String(declared)} bytes, more than the limit of ${String(target.maxBytes)}`);
  }
  const expected = target.expectedSha256 ? digestBytes(target.expectedSha256) : undefined;
  // A server that stops sending: the body fails, and with it the upload.
  const idle = setTimeout(() => response.body.destroy(new MediaStoreError('timeout', `No bytes from ${host} for ${String(target.idleMs)} ms`)), target.idleMs);
  const checked = new CheckedBytes(target.maxBytes, expected, host, () => idle.refresh());
  const upload = new Upload({
    client: target.s3,
    params: { Bucket: target.bucket, Key: target.key, Body: checked, ContentType: target.contentType },
    partSize: PART_BYTES,
    queueSize: 1,
    leavePartsOnError: false,
  });
  const stop = () => response.body.destroy(new MediaStoreError('timeout', `The time limit for storing media ran out while reading from ${host}`));
  target.signal.addEventListener('abort', stop, { once: true });
  const uploaded = upload.done();
  try {
    await Promise.all([pipeline(response.body, checked), uploaded]);
  } catch (error) {
    // The upload reads nothing more; abort its multipart upload so no part is left behind.
    uploaded.catch(() => undefined);
    response.body.destroy();
    await upload.abort().catch(() => undefined);
    if (error instanceof MediaStoreError) throw error;
    const cause = error instanceof Error && error.cause instanceof MediaStoreError ? error.cause : undefined;
    if (cause) throw cause;
    const reading = !checked.writableFinished;
    const detail = error instanceof Error ? `: ${error.name} ${error.message.split('\n', 1)[0] ?? ''}`.slice(0, 200) : '';
    throw new MediaStoreError(reading ? 'download_failed' : 'store_failed', `${reading ? `Reading the file from ${host} failed` : `S3 did not store the file from ${host}`}${detail}`, { cause: error });
  } finally {
    clearTimeout(idle);
    target.signal.removeEventListener('abort', stop);
  }
  return { bucket: target.bucket, key: target.key, sha256: checked.sha256, size: checked.bytesSeen, contentType: target.contentType };
}

/** A stored file's record beside it (`<key>.json`): written once the file is complete, so its presence means the file is whole. */
const ManifestSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  contentType: z.string(),
});

/** The key of a stored file's manifest. */
const manifestKey = (key: string): string => `${key}.json`;

/** Records a stored file, so that a retry, a resume or a replay of its event finds it instead of downloading again. */
export async function writeManifest(s3: S3Client, stored: StoredMedia, signal: AbortSignal): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: stored.bucket, Key: manifestKey(stored.key), Body: JSON.stringify(stored), ContentType: 'application/json' }), { abortSignal: signal });
}

/** The stored file a manifest records, or undefined when there is none (or it cannot be read: then the file is fetched again). */
export async function readManifest(s3: S3Client, bucket: string, key: string, signal: AbortSignal): Promise<StoredMedia | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey(key) }), { abortSignal: signal });
    const parsed = ManifestSchema.safeParse(JSON.parse((await object.Body?.transformToString()) ?? ''));
    return parsed.success && parsed.data.bucket === bucket && parsed.data.key === key ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
