/**
 * Which queues `npm run redrive` works on, and how: an AWS dead-letter queue by a message move task, or
 * the local runtime's queues by copying.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import type { QueueTopology } from '../../lib/queue/topology.js';

/** The command line of `npm run redrive`, parsed. */
export interface RedriveArguments {
  /** AWS: the DLQ's ARN, or its URL (the stack output `DeadLetterQueueUrl`). */
  readonly dlqArn?: string | undefined;
  readonly dlqUrl?: string | undefined;
  /** AWS: where to move to; by default each message goes back to the queue it came from. */
  readonly queueArn?: string | undefined;
  readonly queueUrl?: string | undefined;
  /** Local: the running local runtime (`npm start`). */
  readonly url?: string | undefined;
  /** Local: an SQS-compatible endpoint holding the local queues (what `npm start` got as `SQS_ENDPOINT`). */
  readonly sqsEndpoint?: string | undefined;
}

export type RedriveTarget =
  | { readonly kind: 'aws'; readonly sqs: SQSClient; readonly deadLetterQueueArn: string; readonly destinationArn?: string }
  | { readonly kind: 'local'; readonly sqs: SQSClient; readonly deadLetterQueueUrl: string; readonly queueUrl: string; readonly where: string };

/** What `GET /_local/queues` of the local runtime answers. */
interface RuntimeQueues {
  readonly sqsEndpoint: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`SQS returned no ARN for ${queueUrl}`);
  return Attributes.QueueArn;
}

async function queueUrlByName(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`SQS returned no URL for ${name}`);
  return QueueUrl;
}

/**
 * Picks the target: AWS when a DLQ ARN or URL is given (credentials and region from the usual AWS
 * environment); else the queues at `sqsEndpoint`, found by their local names; else the local runtime
 * at `url`, which says where its embedded SQS server is.
 */
export async function resolveRedriveTarget(args: RedriveArguments, topology: QueueTopology, defaultUrl: string): Promise<RedriveTarget> {
  if (args.dlqArn || args.dlqUrl) {
    const sqs = new SQSClient({});
    const deadLetterQueueArn = args.dlqArn ?? (await queueArn(sqs, args.dlqUrl ?? ''));
    const destinationArn = args.queueArn ?? (args.queueUrl ? await queueArn(sqs, args.queueUrl) : undefined);
    return { kind: 'aws', sqs, deadLetterQueueArn, ...(destinationArn ? { destinationArn } : {}) };
  }
  if (args.sqsEndpoint) {
    const sqs = createSqsClient({ endpoint: args.sqsEndpoint, requestTimeoutMs: 10_000 });
    return {
      kind: 'local',
      sqs,
      deadLetterQueueUrl: await queueUrlByName(sqs, topology.localNames.deadLetterQueue),
      queueUrl: await queueUrlByName(sqs, topology.localNames.queue),
      where: args.sqsEndpoint,
    };
  }
  const url = (args.url ?? defaultUrl).replace(/\/$/, '');
  let queues: RuntimeQueues;
  try {
    const response = await fetch(`${url}/_local/queues`);
    if (!response.ok) throw new Error(`GET ${url}/_local/queues answered ${response.status}`);
    queues = (await response.json()) as RuntimeQueues;
  } catch (error) {
    throw new Error(`No local runtime answers at ${url}: start it with npm start, or pass --url, --sqs-endpoint or --dlq-url`, { cause: error });
  }
  return {
    kind: 'local',
    sqs: createSqsClient({ endpoint: queues.sqsEndpoint, requestTimeoutMs: 10_000 }),
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    queueUrl: queues.queueUrl,
    where: url,
  };
}
