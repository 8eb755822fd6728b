import type { WebhookEvent } from '../../lib/events/schema.js';

/** A valid CloudEvent of this gateway, for tests that feed the queue directly. */
export function cloudEvent(id: string, conversationId: string | null, text = id): WebhookEvent {
  return {
    specversion: '1.0',
    id,
    source: '/webhooks/chatzuri',
    type: 'message.received',
    time: '2024-05-01T10:00:00.000Z',
    ...(conversationId ? { subject: conversationId } : {}),
    datacontenttype: 'application/json',
    provider: 'chatzuri',
    data: {
      conversationId,
      channel: 'web',
      raw: { text },
      sender: { id: null, name: null, email: null, phone: null, role: null },
      message: { id: null, type: 'text', text },
    },
  };
}
