import { asText } from '../kit/coerce.js';
import { ChatzuriApiEnvelopeSchema, ChatzuriGuideEnvelopeSchema } from './schemas.js';

/** One Chatzuri event, whichever of its two documented envelopes carried it. */
export interface ChatzuriEvent {
  /** The event name as sent: `lead.submit`, `leads.submit`, `message.received`... */
  readonly name: string;
  /** The channel as sent (envelope, else data), or null. */
  readonly channel: string | null;
  /** The envelope's timestamp, when it has one. */
  readonly time: unknown;
  /** The event's own fields: the API page's `payload` or the guide's `data` (empty when absent). */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Unwraps either documented envelope: the Webhooks API page's `{eventType, agentId, channel?, payload}`
 * or the developer guide's `{event, timestamp, agent_id, data}`. Undefined for any other shape.
 *
 * @param body - the parsed JSON body
 */
export function unwrapChatzuriEnvelope(body: unknown): ChatzuriEvent | undefined {
  const api = ChatzuriApiEnvelopeSchema.safeParse(body);
  if (api.success) {
    const { eventType, channel, payload } = api.data;
    return { name: eventType, channel: asText(channel) ?? asText(payload['channel']), time: payload['timestamp'], data: payload };
  }
  const guide = ChatzuriGuideEnvelopeSchema.safeParse(body);
  if (guide.success) {
    const { event, timestamp, data } = guide.data;
    const fields = data ?? {};
    return { name: event, channel: asText(fields['channel']), time: timestamp ?? fields['timestamp'], data: fields };
  }
  return undefined;
}
