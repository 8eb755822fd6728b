import type { WebhookEvent } from '../events/schema.js';
import { normaliseDelivery } from '../normalise/normalise.js';
import type { ProviderDefinition } from '../providers/types.js';
import type { WebhookDelivery } from '../events/delivery.js';
import { EnqueueError, enqueueEvent, MessageTooLargeError, type EnqueueTarget } from '../queue/enqueue.js';
import { budgetSignal, ENQUEUE_BUDGET } from '../queue/sqs-client.js';
import type { SecretSource } from '../secrets/types.js';
import { NoSecretConfiguredError, WebhookVerificationError } from '../providers/kit/errors.js';
import { GatewayHttpError } from './http-errors.js';
import type { VerificationMode } from './verification-mode.js';

export interface ReceiverDependencies {
  readonly provider: ProviderDefinition;
  readonly secrets: SecretSource;
  readonly queue: EnqueueTarget;
  readonly verification: VerificationMode;
}

/** What happened to an accepted delivery, for the log line. */
export interface Acceptance {
  readonly event: WebhookEvent;
  readonly messageId: string;
}

async function authenticate(deps: ReceiverDependencies, delivery: WebhookDelivery, answerBy: number): Promise<void> {
  if (deps.verification === 'disabled') return;
  let secrets: readonly string[];
  try {
    // A cold start's fetch may take the budget but what the enqueue after it needs; a warm one is a cache hit.
    const signal = budgetSignal(answerBy - ENQUEUE_BUDGET.enqueueReserveMs - performance.now());
    ({ secrets } = await deps.secrets.getSecrets({ signal }));
  } catch (error) {
    throw new GatewayHttpError(error instanceof NoSecretConfiguredError ? error.reason : 'secret_unavailable', { cause: error });
  }
  try {
    deps.provider.verify(delivery, secrets);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new GatewayHttpError(error.reason, { cause: error });
    throw error;
  }
}

/**
 * One delivery through the receiver: verify the raw bytes, normalise, enqueue. Resolves only once SQS
 * has accepted the event; every other outcome is a {@link GatewayHttpError} saying which answer to give.
 */
export async function receiveDelivery(deps: ReceiverDependencies, delivery: WebhookDelivery): Promise<Acceptance> {
  const answerBy = performance.now() + ENQUEUE_BUDGET.answerBudgetMs;
  if (!deps.queue.queueUrl) throw new GatewayHttpError('queue_not_configured');
  if (delivery.rawBody.length > deps.queue.maximumMessageSizeBytes) throw new GatewayHttpError('payload_too_large');
  await authenticate(deps, delivery, answerBy);
  const event = normaliseDelivery(deps.provider, delivery);
  try {
    // Whatever the secret fetch took comes off the enqueue's time; at least a moment is left to try.
    const timeoutMs = Math.max(100, answerBy - performance.now());
    return { event, messageId: await enqueueEvent(deps.queue, event, { timeoutMs }) };
  } catch (error) {
    if (error instanceof MessageTooLargeError || error instanceof EnqueueError) throw new GatewayHttpError(error.reason, { cause: error });
    throw error;
  }
}
