import type { WebhookEvent } from '../events/schema.js';
import type { HandlerContext } from './types.js';

/**
 * The default handler: the whole event as one structured line at DEBUG, since it holds customer content
 * (names, phone numbers, message text). The worker logs every processed event at INFO without it. Replace
 * this per type in `registry.ts`.
 */
export function logEvent(event: WebhookEvent, { logger }: HandlerContext): void {
  logger.debug('Event content', { event });
}
