import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { startLoopbackFauxqs } from './fauxqs.js';
import { createS3Client } from '../../lib/archive/s3-client.js';

/** The archive bucket of the local runtime, on the embedded S3 server. */
const LOCAL_ARCHIVE_BUCKET = 'chat-webhook-archive';

/** Creates the archive bucket when it is missing, through the S3 API, so any S3-compatible endpoint works. */
export async function ensureArchiveBucket(s3: S3Client, bucket: string = LOCAL_ARCHIVE_BUCKET): Promise<string> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  return bucket;
}

/** An embedded S3 server (fauxqs) with the archive bucket, and a client for it. */
export interface EmbeddedS3 {
  readonly endpoint: string;
  readonly s3: S3Client;
  readonly bucket: string;
  stop(): Promise<void>;
}

/** Starts fauxqs on a free loopback port and creates the archive bucket through the S3 API. */
export async function startEmbeddedS3(options: { readonly storageDir?: string } = {}): Promise<EmbeddedS3> {
  const fauxqs = await startLoopbackFauxqs({ port: 0, logger: false, ...(options.storageDir ? { s3StorageDir: options.storageDir } : {}) });
  const s3 = createS3Client({ endpoint: fauxqs.address });
  return {
    endpoint: fauxqs.address,
    s3,
    bucket: await ensureArchiveBucket(s3),
    async stop() {
      s3.destroy();
      await fauxqs.stop();
    },
  };
}
