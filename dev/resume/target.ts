/**
 * Where `npm run resume` reads the park store and sends the resume: the local runtime (`npm start`), which says
 * where its park store and queue are, or AWS by a stack's outputs or an explicit table and queue URL.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createParkStore, type ParkStore } from '../../lib/parking/park-store.js';
import type { ResumeQueue } from '../../lib/parking/resume.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { ResumeCommandError } from './errors.js';
import { readStackLocation, type StackLocation } from './stack-outputs.js';

/** The command line's choice of target. */
export interface ResumeTargetArguments {
  /** Local: the running local runtime. */
  readonly url: string;
  /** AWS: a deployed stack, whose outputs name the park table and the queue. */
  readonly stack?: string | undefined;
  /** AWS: the park table and the main queue, named directly. */
  readonly tableName?: string | undefined;
  readonly queueUrl?: string | undefined;
  /** AWS: `--region`, else `AWS_REGION`; undefined: the stack's or the queue URL's. */
  readonly region?: string | undefined;
}

export interface ResumeTargetDependencies {
  /** Reads a stack's outputs. @default {@link readStackLocation} (CloudFormation DescribeStacks) */
  readonly readStackLocation?: (stack: string, region: string | undefined) => Promise<StackLocation>;
  /** Tests: DynamoDB and SQS endpoints standing in for AWS (the embedded servers). */
  readonly endpoints?: { readonly dynamodb: string; readonly sqs: string };
}

export interface ResumeTarget {
  readonly kind: 'local' | 'aws';
  readonly store: ParkStore;
  readonly queue: ResumeQueue & { readonly sqs: SQSClient };
  /** Said in the output: "the local runtime at …", "table … in …". */
  readonly where: string;
  destroy(): void;
}

/** What `GET /_local/park-store` of the local runtime answers. */
interface RuntimeParkStore {
  readonly endpoint: string;
  readonly tableName: string;
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
}

/** A per-request timeout for the control message: off the providers' deadline, so the SDK gets its usual time. */
const RESUME_REQUEST_TIMEOUT_MS = 10_000;

/** The region in an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/…`, or the legacy `eu-west-1.queue.…`). */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(queueUrl).hostname;
  } catch {
    return undefined;
  }
  return hostname.split('.').find((part) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(part));
}

function target(kind: ResumeTarget['kind'], location: RuntimeParkStore & { readonly region?: string | undefined }, where: string): ResumeTarget {
  const store = createParkStore({ tableName: location.tableName, endpoint: location.endpoint || undefined, region: location.region });
  const sqs = createSqsClient({ endpoint: location.sqsEndpoint || undefined, region: location.region, requestTimeoutMs: RESUME_REQUEST_TIMEOUT_MS });
  return {
    kind,
    store,
    queue: { sqs, queueUrl: location.queueUrl },
    where,
    destroy() {
      store.destroy();
      sqs.destroy();
    },
  };
}

/**
 * AWS when a stack, or a table and a queue URL, are given (credentials as the AWS CLI finds them); else the local
 * runtime at `url`.
 *
 * @throws ResumeCommandError with one line to show when the local runtime does not answer or the stack lacks an output
 */
export async function resolveResumeTarget(args: ResumeTargetArguments, dependencies: ResumeTargetDependencies = {}): Promise<ResumeTarget> {
  const endpoints = { endpoint: dependencies.endpoints?.dynamodb ?? '', sqsEndpoint: dependencies.endpoints?.sqs ?? '' };
  if (args.stack) {
    const location = await (dependencies.readStackLocation ?? readStackLocation)(args.stack, args.region);
    return target('aws', { ...location, ...endpoints }, `stack ${args.stack} (table ${location.tableName}, ${location.region})`);
  }
  if (args.tableName && args.queueUrl) {
    const region = args.region ?? regionOfQueueUrl(args.queueUrl);
    return target('aws', { tableName: args.tableName, queueUrl: args.queueUrl, region, ...endpoints }, `table ${args.tableName}${region ? ` in ${region}` : ''}`);
  }
  const url = args.url.replace(/\/$/, '');
  let location: RuntimeParkStore;
  try {
    const response = await fetch(`${url}/_local/park-store`);
    if (!response.ok) throw new Error(`GET ${url}/_local/park-store answered ${String(response.status)}`);
    location = (await response.json()) as RuntimeParkStore;
  } catch (error) {
    throw new ResumeCommandError(`No local runtime answers at ${url}: start it with npm start, or pass --url, or --stack (or --table and --queue-url) for AWS`, {
      cause: error,
    });
  }
  return target('local', location, `the local runtime at ${url}`);
}
