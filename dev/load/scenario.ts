/**
 * The deliveries of a load test: conversations of several providers, each a sequence that must come out
 * of the worker in the order it went in (a customer's messages with the statuses of ours, a room's
 * messages), every delivery with its own event id so nothing is deduplicated by accident.
 */
import { signDelivery } from '../providers.js';
import { webhookPath } from '../../lib/events/webhook-path.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { messageGroupId } from '../../lib/queue/enqueue.js';

/** One signed delivery, and the event id the gateway makes of it. */
interface PlannedDelivery {
  readonly provider: string;
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly eventId: string;
}

/** A conversation: deliveries sent one after the other, in one FIFO message group. */
export interface Conversation {
  readonly group: string;
  readonly deliveries: readonly PlannedDelivery[];
}

export interface ScenarioOptions {
  /** Deliveries in all. */
  readonly events: number;
  /** Makes this run's ids unique, so a runtime that already saw a run deduplicates nothing of this one. */
  readonly runId: string;
  /** The providers to mix, in turn. */
  readonly providers: readonly ProviderDefinition[];
  /** The secret each provider's deliveries are signed with. */
  readonly secretFor: (provider: ProviderDefinition) => string;
  /** Deliveries per conversation cycle between these (inclusive). Default 3 to 6. */
  readonly conversationLength?: readonly [number, number];
}

const TIME = Date.UTC(2025, 0, 1);
const iso = (seconds: number) => new Date(TIME + seconds * 1000).toISOString();

/**
 * The body of delivery `index` of conversation `name` for one provider: a recognised event whose id is
 * unique to that conversation and index.
 */
export function conversationBody(slug: string, name: string, index: number): unknown {
  switch (slug) {
    case 'qikchat': {
      // A customer writes, we answer, our answer is sent, delivered and read; the customer writes again.
      const step = index % 4;
      const round = Math.floor(index / 4);
      if (step === 0) {
        return {
          event: 'whatsapp:message:in',
          payload: {
            id: `${name}-in-${round}`,
            name: 'whatsapp',
            contacts: [{ profile: { name: 'Load Test' }, to: '+6281100000000' }],
            message: { from: name, timestamp: iso(index), type: 'text', text: { body: `message ${index} of ${name}` } },
          },
        };
      }
      return {
        event: 'whatsapp:message:status',
        payload: { id: `${name}-out-${round}`, name: 'whatsapp', from: name, to: '+6281100000000', status: ['sent', 'delivered', 'read'][step - 1], timestamp: iso(index) },
      };
    }
    case 'chatzuri':
      return {
        eventType: 'message.received',
        channel: 'web',
        agentId: 'agent-load',
        payload: { conversationId: name, sessionId: name, messageId: `${name}-${index}`, message: `message ${index} of ${name}` },
      };
    default:
      // Both Qiscus providers: a comment posted in a room.
      return {
        type: 'post_comment_mobile',
        payload: {
          from: { id: 7, email: 'customer@example.com', name: 'Load Test' },
          room: { id: 1, id_str: name, type: 'group', name, options: { source: 'qiscus' } },
          message: { id: 1, id_str: `${name}-${index}`, type: 'text', text: `message ${index} of ${name}`, timestamp: iso(index), payload: {} },
        },
      };
  }
}

/**
 * Plans the burst: conversations taking the providers in turn, `events` deliveries in all. Each delivery
 * is signed and normalised here with the gateway's own library, which gives its event id and group; an
 * id planned twice or a delivery the gateway would not recognise is a bug of this plan, and throws.
 */
export function planConversations(options: ScenarioOptions): Conversation[] {
  const [shortest, longest] = options.conversationLength ?? [3, 6];
  const seen = new Set<string>();
  const conversations: Conversation[] = [];
  let planned = 0;
  for (let c = 0; planned < options.events; c++) {
    const provider = options.providers[c % options.providers.length];
    if (!provider) throw new Error('no providers to plan for');
    const secret = options.secretFor(provider);
    const name = `load-${options.runId}-${c}`;
    const length = Math.min(shortest + (c % (longest - shortest + 1)), options.events - planned);
    const deliveries: PlannedDelivery[] = [];
    let group: string | undefined;
    for (let index = 0; index < length; index++) {
      const body = Buffer.from(JSON.stringify(conversationBody(provider.slug, name, index)));
      const headers = { 'content-type': 'application/json', ...signDelivery(provider, body, secret) };
      const event = normaliseDelivery(provider, { rawBody: body, headers, receivedAt: new Date(TIME) });
      if (event.type === 'event.unrecognized' || seen.has(event.id)) throw new Error(`load plan: ${event.id} is ${event.type}, planned ${seen.has(event.id) ? 'twice' : 'once'}`);
      seen.add(event.id);
      group ??= messageGroupId(event);
      if (messageGroupId(event) !== group) throw new Error(`load plan: ${event.id} is not in group ${group}`);
      deliveries.push({ provider: provider.slug, path: webhookPath(provider.slug), body, headers, eventId: event.id });
    }
    conversations.push({ group: group ?? name, deliveries });
    planned += length;
  }
  return conversations;
}
