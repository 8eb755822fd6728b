import type { SQSRecord } from 'aws-lambda';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { messageGroupId, serialiseEvent } from '../../lib/queue/enqueue.js';

/** An SQS FIFO record as Lambda delivers it, carrying an event (or any body) as the receiver sends it. */
export function sqsRecord(event: WebhookEvent | { body: string; group: string }, index: number): SQSRecord {
  const isEvent = 'specversion' in event;
  return {
    messageId: `m-${index}`,
    receiptHandle: `r-${index}`,
    body: isEvent ? serialiseEvent(event) : event.body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1714557600000',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '1714557600000',
      SequenceNumber: String(1000 + index),
      MessageGroupId: isEvent ? messageGroupId(event) : event.group,
      MessageDeduplicationId: isEvent ? event.id : `d-${index}`,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:chat-webhook-events.fifo',
    awsRegion: 'us-east-1',
  };
}
