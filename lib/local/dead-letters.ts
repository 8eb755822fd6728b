import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A message in the dead-letter queue, as `GET /_local/dead-letters` shows it. */
export interface DeadLetter {
  readonly messageId: string;
  /** The body parsed as JSON when it is JSON (a CloudEvent, usually), else the text. */
  readonly body: unknown;
  readonly messageGroupId: string | null;
  readonly receiveCount: number | null;
  readonly sentAt: string | null;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

interface FauxqsInspection {
  messages: Record<'ready' | 'delayed', FauxqsMessage[]> & { inflight: { message: FauxqsMessage }[] };
}
interface FauxqsMessage {
  messageId: string;
  body: string;
  messageGroupId?: string;
  approximateReceiveCount?: number;
  sentTimestamp?: number;
}

/**
 * Lists the messages in the DLQ without taking them out. fauxqs (embedded or at `SQS_ENDPOINT`) has an
 * inspection endpoint that changes nothing; another SQS-compatible server gets a receive with a zero
 * visibility timeout, which shows at most the first ten.
 */
export async function listDeadLetters(sqs: SQSClient, endpoint: string, queueName: string, queueUrl: string): Promise<DeadLetter[]> {
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
    if (response.ok) {
      const { messages } = (await response.json()) as FauxqsInspection;
      return [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)]
        .sort((a, b) => (a.sentTimestamp ?? 0) - (b.sentTimestamp ?? 0))
        .map((m) => ({
          messageId: m.messageId,
          body: parse(m.body),
          messageGroupId: m.messageGroupId ?? null,
          receiveCount: m.approximateReceiveCount ?? null,
          sentAt: m.sentTimestamp ? new Date(m.sentTimestamp).toISOString() : null,
        }));
    }
  } catch {
    // Not fauxqs: fall through to the SQS API.
  }
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages.map((m) => ({
    messageId: m.MessageId ?? '',
    body: parse(m.Body ?? ''),
    messageGroupId: m.Attributes?.MessageGroupId ?? null,
    receiveCount: m.Attributes?.ApproximateReceiveCount ? Number(m.Attributes.ApproximateReceiveCount) : null,
    sentAt: m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : null,
  }));
}
