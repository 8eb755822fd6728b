import { toCloudEvent, type EventBody } from './build.js';
import type { WebhookEvent } from '../events/schema.js';
import type { ProviderDefinition } from '../providers/types.js';
import type { Recognition, WebhookDelivery } from '../events/delivery.js';
import { parseBody, type ParsedBody } from '../providers/kit/body.js';

/**
 * What the event carries of the body: the JSON value as parsed (numbers a double cannot hold as their exact
 * text) and its compact JSON for the id, or the text of a body that is not JSON and its bytes for the id.
 */
function eventBody(body: ParsedBody, delivery: WebhookDelivery): EventBody {
  return body.kind === 'json'
    ? { raw: body.value, content: { json: body.value } }
    : { raw: body.text, content: { bytes: delivery.rawBody } };
}

/**
 * Turns an authentic delivery into one CloudEvent. Never throws and never drops anything: a body that is
 * not JSON, or JSON of no shape the provider knows, becomes `event.unrecognized` with the body kept.
 *
 * Call only after the delivery was verified.
 */
export function normaliseDelivery(provider: ProviderDefinition, delivery: WebhookDelivery): WebhookEvent {
  const body = parseBody(delivery.rawBody);
  if (body.kind === 'text') {
    return toCloudEvent(
      provider.slug,
      delivery,
      { type: 'event.unrecognized', data: { conversationId: null, channel: null, reason: 'not_json', rawEncoding: body.encoding } },
      eventBody(body, delivery),
    );
  }
  let recognition: Recognition | undefined;
  try {
    recognition = provider.recognise(body.readable, { kindHint: delivery.kindHint });
  } catch {
    // A payload that trips recognition is still authentic: keep it rather than lose it.
    recognition = undefined;
  }
  return toCloudEvent(
    provider.slug,
    delivery,
    recognition ?? {
      type: 'event.unrecognized',
      data: { conversationId: null, channel: null, reason: 'unknown_shape', rawEncoding: 'utf8' },
    },
    eventBody(body, delivery),
  );
}
