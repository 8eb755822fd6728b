import type { SQSRecord } from 'aws-lambda';
import { GatewayError } from '../events/errors.js';
import { WebhookEventSchema, type WebhookEvent } from '../events/schema.js';
import { parseJsonExactly } from '../providers/kit/exact-json.js';
import { ResumeMessageSchema, type ResumeMessage } from '../parking/resume.js';

/** A queue message that is not a valid CloudEvent of this gateway: the worker moves it to the DLQ. */
class InvalidEventError extends GatewayError<'invalid_event'> {
  override readonly name: string = 'InvalidEventError';

  constructor(message: string, options?: ErrorOptions) {
    super('invalid_event', message, options);
  }
}

/** What a queue message is: an event, or a resume of a parked conversation (`lib/parking/resume.ts`). */
export type QueueMessage = { readonly kind: 'event'; readonly event: WebhookEvent } | { readonly kind: 'resume'; readonly resume: ResumeMessage };

/**
 * The event or control message in an SQS record.
 *
 * @throws InvalidEventError when it is neither: a poison message, for the dead-letter queue
 */
export function parseQueueMessage(record: SQSRecord): QueueMessage {
  if (record.body.includes('"gatewayControl"')) {
    const control = ResumeMessageSchema.safeParse(safeJson(record.body));
    if (control.success) return { kind: 'resume', resume: control.data };
  }
  return { kind: 'event', event: parseEventRecord(record) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The CloudEvent in an SQS record, validated against the event schema. */
export function parseEventRecord(record: SQSRecord): WebhookEvent {
  let json: unknown;
  try {
    // Exactly: a number in data.raw that a double cannot hold reaches the handler with its digits.
    json = parseJsonExactly(record.body).value;
  } catch (error) {
    throw new InvalidEventError(`Message ${record.messageId} is not JSON`, { cause: error });
  }
  const parsed = WebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidEventError(`Message ${record.messageId} is not a valid CloudEvent`, {
      cause: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
  }
  return parsed.data;
}
