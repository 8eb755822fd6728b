import { hash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GatewayError } from '../events/errors.js';
import type { WebhookEvent } from '../events/schema.js';
import { isSqsId } from '../events/sqs-id.js';
import { budgetSignal, ENQUEUE_BUDGET } from './sqs-client.js';

/** The event could not be handed to SQS; nothing was (knowingly) queued. */
export class EnqueueError extends GatewayError<'enqueue_failed'> {
  override readonly name: string = 'EnqueueError';

  constructor(options?: ErrorOptions) {
    super('enqueue_failed', 'The event could not be sent to the queue', options);
  }
}

/** The serialised event would exceed the queue's maximum message size. */
export class MessageTooLargeError extends GatewayError<'payload_too_large'> {
  override readonly name: string = 'MessageTooLargeError';
  readonly sizeBytes: number;

  constructor(sizeBytes: number, limitBytes: number) {
    super('payload_too_large', `The event is ${sizeBytes} bytes; the queue accepts at most ${limitBytes}`);
    this.sizeBytes = sizeBytes;
  }
}

/**
 * The FIFO message group: one per conversation, so a conversation's messages and their statuses stay in
 * order while different conversations are processed in parallel. An event without a conversation gets a
 * group of its own, which its replays share (deduplication is per group). Ids SQS could not take are hashed,
 * keeping one group per conversation.
 */
export function messageGroupId(event: WebhookEvent): string {
  const conversation = event.data.conversationId;
  const group = conversation === null ? `${event.provider}:event:${event.replayof ?? event.id}` : `${event.provider}:${conversation}`;
  return isSqsId(group) ? group : `${event.provider}:sha256:${hash('sha256', group, 'hex')}`;
}

/**
 * The deduplication id of a delivery's message: the SHA-256 of the message (which holds the event id). SQS drops an
 * identical copy (a provider's retry) within its 5 minutes, and passes a copy with the same event id and other
 * content on to the worker, which reports it as a conflicting duplicate rather than it vanishing unseen.
 */
function contentDeduplicationId(body: string): string {
  return hash('sha256', body, 'hex');
}

export interface EnqueueTarget {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The queue's maximum message size in bytes. */
  readonly maximumMessageSizeBytes: number;
}

// SQS takes #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. JSON.stringify already escapes control
// characters and lone surrogates; it leaves U+FFFE/U+FFFF raw (SQS refuses them) and astral characters such
// as emoji raw (some SQS-compatible servers refuse those). Inside JSON strings, where all of them stand, a
// \u escape parses back to the same text.
const SQS_UNSAFE = /[\uFFFE\uFFFF]|[\u{10000}-\u{10FFFF}]/gu;

function escapeCodeUnits(character: string): string {
  let escaped = '';
  for (let i = 0; i < character.length; i++) escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}

/** The message body: the CloudEvent in structured JSON mode, in characters every SQS accepts. */
export function serialiseEvent(event: WebhookEvent): string {
  return JSON.stringify(event).replace(SQS_UNSAFE, escapeCodeUnits);
}

/**
 * Sends one event to the FIFO queue and resolves only once SQS has accepted it.
 *
 * @throws MessageTooLargeError when the event is larger than the queue takes
 * @throws EnqueueError when SQS refuses, fails or does not answer within the deadline
 */
export async function enqueueEvent(
  target: EnqueueTarget,
  event: WebhookEvent,
  options: { readonly timeoutMs?: number; /** @default {@link contentDeduplicationId} of the message */ readonly deduplicationId?: string } = {},
): Promise<string> {
  const body = serialiseEvent(event);
  // No message attributes: the body carries provider and type, and attributes cost every delivery (BENCHMARKS.md).
  const size = Buffer.byteLength(body);
  if (size > target.maximumMessageSizeBytes) throw new MessageTooLargeError(size, target.maximumMessageSizeBytes);

  try {
    const result = await target.sqs.send(
      new SendMessageCommand({
        QueueUrl: target.queueUrl,
        MessageBody: body,
        MessageGroupId: messageGroupId(event),
        MessageDeduplicationId: options.deduplicationId ?? contentDeduplicationId(body),
      }),
      // The SDK's own timeouts bound each attempt; this bounds all of them together.
      { abortSignal: budgetSignal(Math.min(options.timeoutMs ?? ENQUEUE_BUDGET.deadlineMs, ENQUEUE_BUDGET.deadlineMs)) },
    );
    if (!result.MessageId) throw new Error('SQS answered without a MessageId');
    return result.MessageId;
  } catch (error) {
    throw new EnqueueError({ cause: error });
  }
}
