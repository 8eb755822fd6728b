/**
 * The local runtime's archive: the bucket on the embedded S3 server and, with delivery `firehose` (as the stack
 * deploys by default), the Firehose stand-in in front of it, so the worker archives as it does in AWS. Every read
 * of the archive through the runtime flushes the stand-in first, so locally a read is complete at once.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createFirehoseClient } from '../../lib/archive/firehose-client.js';
import type { ArchiveDestination } from '../../lib/archive/writer.js';
import { ensureArchiveBucket } from '../fakes/archive-bucket.js';
import { startFirehoseStandIn } from '../fakes/firehose.js';

/** How the worker archives: the stack's `archiveDelivery` setting. */
export type LocalArchiveDelivery = 'firehose' | 's3';

/** What the readers read: the bucket, and how to flush what is still buffered in front of it. */
export interface LocalArchiveStore {
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly s3: S3Client;
  /** Writes what the Firehose stand-in still buffers into the bucket; nothing to do with delivery `s3`. */
  readonly flush: () => Promise<void>;
}

export interface LocalArchive {
  readonly store: LocalArchiveStore;
  /** Where the worker archives. */
  readonly destination: ArchiveDestination;
  /** Flushes the stand-in and stops it. */
  stop(): Promise<void>;
}

/** Creates the archive bucket and, for delivery `firehose`, starts the stand-in on a free loopback port. */
export async function startLocalArchive(options: { readonly s3: S3Client; readonly s3Endpoint: string; readonly region: string; readonly delivery?: LocalArchiveDelivery }): Promise<LocalArchive> {
  const bucket = await ensureArchiveBucket(options.s3);
  if (options.delivery === 's3') {
    const store = { s3Endpoint: options.s3Endpoint, bucket, s3: options.s3, flush: () => Promise.resolve() };
    return { store, destination: store, stop: () => Promise.resolve() };
  }
  const standIn = await startFirehoseStandIn({ s3: options.s3, bucket });
  const firehose = createFirehoseClient({ endpoint: standIn.endpoint, region: options.region });
  const store = { s3Endpoint: options.s3Endpoint, bucket, s3: options.s3, flush: () => standIn.flush() };
  return {
    store,
    destination: { firehose, deliveryStream: standIn.deliveryStream, direct: store },
    async stop() {
      firehose.destroy();
      await standIn.stop();
    },
  };
}
