import type { WebhookEvent } from '../events/schema.js';
import type { HandlerContext } from './types.js';

/** The default handler: the event as one structured log line. Replace it per type in `registry.ts`. */
export function logEvent(event: WebhookEvent, { logger }: HandlerContext): void {
  logger.info('Event processed', { type: event.type, eventId: event.id, subject: event.subject, event });
}
