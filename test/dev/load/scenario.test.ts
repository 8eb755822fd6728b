import { describe, expect, it } from 'vitest';
import { planConversations } from '../../../dev/load/scenario.js';
import { providers } from '../../../lib/providers/registry.js';
import { devProvider } from '../../../dev/providers.js';

describe('planConversations', () => {
  it('plans exactly the number of deliveries asked for, each provider in turn, every event id unique', () => {
    // Act
    const conversations = planConversations({ events: 101, runId: 'test', providers, secretFor: (p) => devProvider(p).developmentSecret });
    // Assess
    const deliveries = conversations.flatMap((conversation) => conversation.deliveries);
    expect(deliveries).toHaveLength(101);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(101);
    expect(new Set(conversations.map((c) => c.group)).size).toBe(conversations.length);
    expect(conversations.slice(0, 4).map((c) => c.deliveries[0]?.provider)).toEqual(providers.map((p) => p.slug));
  });

  it('gives a Qikchat conversation its customer messages and the statuses of our reply, all in one group', () => {
    // Act
    const [conversation] = planConversations({ events: 6, runId: 't', providers: providers.filter((p) => p.slug === 'qikchat'), secretFor: (p) => devProvider(p).developmentSecret, conversationLength: [6, 6] });
    // Assess
    const events = conversation?.deliveries.map((d) => (JSON.parse(d.body.toString()) as { event: string; payload: { status?: string } })) ?? [];
    expect(events.map((e) => e.payload.status ?? e.event)).toEqual(['whatsapp:message:in', 'sent', 'delivered', 'read', 'whatsapp:message:in', 'sent']);
    expect(conversation?.group).toBe('qikchat:load-t-0');
  });

  it('plans different ids for different runs, so a runtime that saw one run deduplicates nothing of the next', () => {
    // Act
    const [first, second] = ['run-1', 'run-2'].map((runId) => planConversations({ events: 20, runId, providers, secretFor: (p) => devProvider(p).developmentSecret }));
    // Assess
    const ids = (plan: typeof first) => new Set(plan?.flatMap((c) => c.deliveries.map((d) => d.eventId)));
    expect([...ids(first)].filter((id) => ids(second).has(id))).toEqual([]);
  });
});
