import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { ResumeRefusedError, type ParkedConversation, type ParkStore } from './park-store.js';

/**
 * The control message that resumes a parked conversation. It travels in the conversation's own message group, so
 * the worker meets it after every event queued before it (all parked by then) and before every later one.
 */
export const ResumeMessageSchema = z.strictObject({
  gatewayControl: z.literal('resume'),
  /** The message group, as in the park store. */
  conversation: z.string().min(1),
  /** The park store's `resumeToken`: a stale or repeated message does nothing. */
  token: z.string().min(1),
});
export type ResumeMessage = z.infer<typeof ResumeMessageSchema>;

export interface ResumeQueue {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

/**
 * Sends the control message of a resume into the conversation's group. `part` names a continuation (a resume that
 * ran out of the worker's time goes on from the next parked event); SQS deduplicates a repeat of the same part.
 */
export async function sendResumeMessage(queue: ResumeQueue, conversation: string, token: string, part = 'start', signal?: AbortSignal): Promise<void> {
  const message: ResumeMessage = { gatewayControl: 'resume', conversation, token };
  await queue.sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.queueUrl,
      MessageBody: JSON.stringify(message),
      MessageGroupId: conversation,
      MessageDeduplicationId: `resume:${token}:${part}`.slice(0, 128),
    }),
    { abortSignal: signal },
  );
}

export interface ResumeRequest {
  /** The message group of the parked conversation. */
  readonly conversation: string;
  /** Drop this event (it must be the failing one) instead of running it again. */
  readonly skip?: string | undefined;
}

/**
 * Asks for a parked conversation to be resumed: marks it `resuming` and sends its control message. Asking again for
 * a conversation already resuming (its control message lost, say) sends the message again, with the same token.
 *
 * @throws ResumeRefusedError when the conversation is not parked, or `skip` is not its failing event
 */
export async function resumeConversation(store: ParkStore, queue: ResumeQueue, request: ResumeRequest): Promise<ParkedConversation> {
  const conversation = await store.requestResume(request.conversation, randomUUID(), request.skip);
  const token = conversation.resume?.token;
  if (!token) throw new ResumeRefusedError(`Conversation ${request.conversation} has no resume pending`);
  await sendResumeMessage(queue, conversation.conversation, token);
  return conversation;
}
