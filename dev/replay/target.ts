/**
 * Where `npm run replay` reads and sends: the local runtime (`npm start`), which says where its archive and
 * queue are, or AWS with a bucket and a queue URL (credentials and region as the AWS CLI finds them).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createS3Client } from '../../lib/archive/s3-client.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';

export interface ReplayTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Said in the first line of the output. */
  readonly where: string;
}

/** What `GET /_local/archive-store` of the local runtime answers. */
interface RuntimeArchiveStore {
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
}

/** A per-send timeout for a replay: off the providers' deadline, so the SDK gets its usual time. */
const REPLAY_REQUEST_TIMEOUT_MS = 10_000;

/**
 * AWS when `bucket` and `queueUrl` are given; else the local runtime at `url`.
 *
 * @throws Error with one line to show when the local runtime does not answer
 */
export async function resolveReplayTarget(args: { readonly bucket?: string | undefined; readonly queueUrl?: string | undefined; readonly url: string }): Promise<ReplayTarget> {
  if (args.bucket && args.queueUrl) {
    return {
      s3: createS3Client(),
      bucket: args.bucket,
      sqs: createSqsClient({ requestTimeoutMs: REPLAY_REQUEST_TIMEOUT_MS }),
      queueUrl: args.queueUrl,
      where: `s3://${args.bucket} to ${args.queueUrl}`,
    };
  }
  const url = args.url.replace(/\/$/, '');
  let store: RuntimeArchiveStore;
  try {
    const response = await fetch(`${url}/_local/archive-store`);
    if (!response.ok) throw new Error(`GET ${url}/_local/archive-store answered ${response.status}`);
    store = (await response.json()) as RuntimeArchiveStore;
  } catch (error) {
    throw new Error(`No local runtime answers at ${url}: start it with npm start, or pass --url, or --bucket and --queue-url for AWS`, { cause: error });
  }
  return {
    s3: createS3Client({ endpoint: store.s3Endpoint }),
    bucket: store.bucket,
    sqs: createSqsClient({ endpoint: store.sqsEndpoint, requestTimeoutMs: REPLAY_REQUEST_TIMEOUT_MS }),
    queueUrl: store.queueUrl,
    where: `the local runtime at ${url}`,
  };
}
