import { describe, expect, it } from 'vitest';
import { WebhookEventSchema } from '../../lib/events/schema.js';

describe('WebhookEventSchema', () => {
  it('accepts a minimal unrecognized event', () => {
    // Prepare
    const event = {
      specversion: '1.0', id: 'x:1', source: '/webhooks/x', type: 'event.unrecognized', time: '2024-01-01T00:00:00.000Z',
      datacontenttype: 'application/json', provider: 'x',
      data: { conversationId: null, channel: null, raw: 'hi', reason: 'not_json', rawEncoding: 'utf8' },
    };
    // Act
    const result = WebhookEventSchema.safeParse(event);
    // Assess
    expect(result.success).toBe(true);
  });
});
