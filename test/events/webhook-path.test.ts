import { describe, expect, it } from 'vitest';
import { webhookKindRoute, webhookPath, webhookPathSegments } from '../../lib/events/webhook-path.js';

describe('webhook path', () => {
  it('builds the path, the kind route, and reads both back', () => {
    // Act
    const path = webhookPath('qiscus-omnichannel');
    const route = webhookKindRoute('qiscus-omnichannel');
    // Assess
    expect(path).toBe('/webhooks/qiscus-omnichannel');
    expect(route).toBe('/webhooks/qiscus-omnichannel/{kind}');
    expect(webhookPathSegments(path)).toEqual({ slug: 'qiscus-omnichannel', kind: undefined });
    expect(webhookPathSegments(`${path}/new-session/`)).toEqual({ slug: 'qiscus-omnichannel', kind: 'new-session' });
  });

  it('keeps segments as sent and refuses any other path', () => {
    // Act
    const encoded = webhookPathSegments('/webhooks/qik%63hat/a%2Fb');
    const others = ['/webhooks', '/webhooks/', '/webhooks//x', '/webhooks/a/b/c', '/hooks/qikchat', 'webhooks/qikchat'].map(webhookPathSegments);
    // Assess
    expect(encoded).toEqual({ slug: 'qik%63hat', kind: 'a%2Fb' });
    expect(others).toEqual(others.map(() => undefined));
  });
});
