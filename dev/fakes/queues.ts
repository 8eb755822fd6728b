import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueAttributes, mainQueueAttributes } from '../../lib/queue/attributes.js';
import type { QueueTopology } from '../../lib/queue/topology.js';

export interface LocalQueues {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    // The queue exists with other attributes (made by an earlier version): use it as it is.
    if ((error as { name?: string }).name !== 'QueueNameExists' && (error as { name?: string }).name !== 'QueueAlreadyExists') throw error;
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  }
  if (!url) throw new Error(`SQS returned no URL for queue ${name}`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS returned no ARN for queue ${name}`);
  return { url, arn };
}

/**
 * Creates the FIFO queue and its dead-letter queue from the topology when they are missing, through the
 * SQS API itself, so it works the same against the embedded server and any other SQS endpoint.
 */
export async function ensureLocalQueues(sqs: SQSClient, topology: QueueTopology): Promise<LocalQueues> {
  const dlq = await ensureQueue(sqs, topology.localNames.deadLetterQueue, deadLetterQueueAttributes(topology));
  const main = await ensureQueue(sqs, topology.localNames.queue, mainQueueAttributes(topology, dlq.arn));
  return { queueUrl: main.url, queueArn: main.arn, deadLetterQueueUrl: dlq.url, deadLetterQueueArn: dlq.arn };
}

/**
 * A queue URL of the embedded server on `address`. fauxqs names its queues `http://sqs.<region>.127.0.0.1:<port>/...`,
 * which is no valid URL (the SDK's `new URL` of it throws), and keeps that URL, port included, from the run that
 * created the queue. In AWS the queue URL's origin is the SQS endpoint; here too: the address with the queue's path.
 */
export function queueUrlAt(url: string, address: string): string {
  return `${address.replace(/\/$/, '')}${url.replace(/^[a-z]+:\/\/[^/]+/i, '')}`;
}

/** The queues with their URLs on `address` ({@link queueUrlAt}). */
export function queuesAt(queues: LocalQueues, address: string): LocalQueues {
  return { ...queues, queueUrl: queueUrlAt(queues.queueUrl, address), deadLetterQueueUrl: queueUrlAt(queues.deadLetterQueueUrl, address) };
}
