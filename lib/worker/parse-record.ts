import type { SQSRecord } from 'aws-lambda';
import { GatewayError } from '../events/errors.js';
import { WebhookEventSchema, type WebhookEvent } from '../events/schema.js';
import { parseJsonExactly } from '../providers/kit/exact-json.js';

/** A queue message that is not a valid CloudEvent of this gateway: it fails and ends in the DLQ. */
class InvalidEventError extends GatewayError<'invalid_event'> {
  override readonly name: string = 'InvalidEventError';

  constructor(message: string, options?: ErrorOptions) {
    super('invalid_event', message, options);
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
