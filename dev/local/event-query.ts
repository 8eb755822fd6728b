/**
 * `GET /_local/events?limit=&provider=&type=&conversation=`: the processed events that match, oldest first; with
 * `limit`, the newest that many of them.
 */
import type { WebhookEvent } from '../../lib/events/schema.js';
import { eventLogKeys } from '../../lib/observability/event-log-keys.js';
import { InspectQueryError } from './server.js';

/**
 * The events that match the query. `conversation` is the conversation id or its digest as the log lines show it.
 *
 * @throws InspectQueryError when `limit` is no positive integer
 * @example filterEvents(events, new URLSearchParams('provider=qikchat&limit=10'))
 */
export function filterEvents(events: readonly WebhookEvent[], query: URLSearchParams): WebhookEvent[] {
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new InspectQueryError(`limit must be a positive integer, not "${String(limitText)}"`);
  const provider = query.get('provider') || undefined;
  const type = query.get('type') || undefined;
  const conversation = query.get('conversation') || undefined;
  const matching = events.filter(
    (event) =>
      (provider === undefined || event.provider === provider) &&
      (type === undefined || event.type === type) &&
      (conversation === undefined || event.data.conversationId === conversation || eventLogKeys(event).conversation === conversation),
  );
  return limit === undefined ? matching : matching.slice(-limit);
}
