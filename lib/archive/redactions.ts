/**
 * Credentials some providers put inside their payloads. The archive keeps every event for a year and is read
 * by people and by Athena: these values are replaced with `[REDACTED]` there, by the one rule of
 * `lib/observability/redact.ts` (the logs and the local console use it too), while the event handed to handlers
 * keeps them.
 */
import type { WebhookEvent } from '../events/schema.js';
import { redactValue } from '../observability/redact.js';

/**
 * The event's `data` with every credential redacted, at any depth, in JSON carried in strings and in query strings
 * too (a `null` stays `null`); the event itself is not changed. The normalised fields name no credential, so this
 * is `data.raw`'s redaction; a body kept as base64 (not UTF-8) holds no `name=value` pair and stays as it is.
 *
 * @example redactEventData({ ..., raw: { candidate_agent: { sdk_key: 'k' } } }) // { ..., raw: { candidate_agent: { sdk_key: '[REDACTED]' } } }
 */
export function redactEventData(data: WebhookEvent['data']): WebhookEvent['data'] {
  return redactValue(data) as WebhookEvent['data'];
}
