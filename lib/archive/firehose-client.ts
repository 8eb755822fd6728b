import { FirehoseClient } from '@aws-sdk/client-firehose';

/** Timeouts of a put to Firehose: like the archive's S3 writes, a dead endpoint must not hold a batch for minutes. */
const FIREHOSE_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, maxAttempts: 3 } as const;

export interface FirehoseClientOptions {
  /** A local stand-in's endpoint (dev/fakes/firehose.ts); AWS when absent. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/** A Firehose client with explicit timeouts; against a local endpoint, placeholder credentials. */
export function createFirehoseClient(options: FirehoseClientOptions = {}): FirehoseClient {
  return new FirehoseClient({
    // A local stand-in accepts any credentials; never look for real ones when pointed at it.
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: FIREHOSE_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: FIREHOSE_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: FIREHOSE_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
