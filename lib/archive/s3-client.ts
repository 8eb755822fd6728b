import { S3Client } from '@aws-sdk/client-s3';

/** Timeouts of an archive write: the worker is off the providers' deadline, but a dead S3 must not hold a batch for minutes. */
const ARCHIVE_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 10_000, maxAttempts: 3 } as const;

export interface S3ClientOptions {
  /** A local S3-compatible endpoint (the embedded fauxqs); AWS when absent. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/** An S3 client with explicit timeouts; against a local endpoint, path-style URLs and placeholder credentials. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // `bucket.127.0.0.1` resolves nowhere: a local endpoint takes the bucket in the path.
          forcePathStyle: true,
          // A local emulator accepts any credentials; never look for real ones when pointed at it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: ARCHIVE_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: ARCHIVE_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: ARCHIVE_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
