/**
 * Recognition of the six Qiscus Omnichannel webhook kinds, which share no type field: each is tried by its
 * shape, and an optional URL hint (each kind is registered at its own URL) only decides which is tried first.
 */
import type { Participant } from '../../../events/schema.js';
import type { OwnEventId, Recognition, RecognitionContext } from '../../../events/delivery.js';
import { asId, asMeaningfulId, asText, participant } from '../../kit/coerce.js';
import {
  firstUsableTime,
  qiscusMessageEventId,
  qiscusRoomChannel,
  qiscusRoomId,
  qiscusUserId,
  recognisePostComment,
  toNormalisedMessage,
} from '../shared/index.js';
import {
  AgentAllocationSchema,
  CustomButtonSchema,
  MarkAsResolvedSchema,
  NewSessionSchema,
  UserLogoutSchema,
  mayBeNewSession,
  type CustomButton,
  type MarkAsResolved,
  type OmnichannelAgent,
  type OmnichannelCustomer,
} from './schemas.js';

/** One of the webhook kinds Qiscus Omnichannel posts, each to its own URL. */
interface OmnichannelKind {
  /** The URL hint naming this kind: `/webhooks/qiscus-omnichannel/<hint>`. */
  readonly hint: string;
  /** Recognises this kind by the payload's shape; undefined when the shape does not fit. */
  recognise(payload: unknown): Recognition | undefined;
}

// The numeric user types, as the logout and agent-allocation samples pair them with `type_as_string`.
const ROLE_BY_TYPE: ReadonlyMap<string, string> = new Map([
  ['1', 'admin'],
  ['2', 'agent'],
  ['3', 'supervisor'],
]);

/** The user's role in Qiscus' words: `type_as_string`, else `type` (a word, or a number mapped to one). */
function omnichannelRole(user: OmnichannelAgent): string | null {
  const type = asId(user.type);
  return asText(user.type_as_string) ?? (type === null ? null : (ROLE_BY_TYPE.get(type) ?? type));
}

/** A dashboard user (admin, supervisor, agent) as a participant; its id is the numeric Omnichannel user id. */
function agentParticipant(user: OmnichannelAgent): Participant {
  return participant({
    id: asMeaningfulId(user.id),
    name: asText(user.name),
    email: asText(user.email),
    role: omnichannelRole(user),
  });
}

/**
 * A customer as a participant; its id is the Qiscus user id (`user_id`), the same value the bot webhook
 * sends as the sender's `email`.
 */
function customerParticipant(customer: OmnichannelCustomer): Participant {
  return participant({ id: asId(customer.user_id), name: asText(customer.name), role: 'customer' });
}

/** New session → `conversation.started`, with the customer and the message that opened it. */
const newSessionKind: OmnichannelKind = {
  hint: 'new-session',
  recognise(payload) {
    if (!mayBeNewSession(payload)) return undefined;
    const parsed = NewSessionSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { payload: comment, room_log: log } = parsed.data;
    const from = comment?.from ?? undefined;
    const room = comment?.room ?? undefined;
    const message = comment?.message ?? undefined;
    const conversationId = (room ? qiscusRoomId(room) : null) ?? asMeaningfulId(log?.room_id);
    const customer =
      from || log
        ? participant({
            id: (from ? qiscusUserId(from) : null) ?? asId(log?.user_id),
            name: asText(from?.name) ?? asText(log?.name),
            email: asText(from?.email),
            role: 'customer',
          })
        : null;
    return {
      type: 'conversation.started',
      id: message ? qiscusMessageEventId('new-session', message, conversationId, customer?.id ?? null) : undefined,
      time: firstUsableTime(message?.timestamp, log?.created_at),
      data: {
        conversationId,
        channel: (room ? qiscusRoomChannel(room) : null) ?? asText(log?.source),
        customer,
        message: message ? toNormalisedMessage(message) : null,
      },
    };
  },
};

/**
 * Bot webhook → `message.received`: a message from a customer (`post_comment_mobile`) or posted through the REST
 * API (`post_comment_rest`); the Chat SDK's payload, so the family's recognition serves both.
 */
const botWebhookKind: OmnichannelKind = {
  hint: 'bot',
  recognise: recognisePostComment,
};

/**
 * The event's own id. A service is one session of a room and is resolved once, so its id names the event;
 * the last comment id is added in case a service is ever reopened and resolved again after more messages.
 */
function resolvedEventId(service: MarkAsResolved['service']): OwnEventId | undefined {
  const serviceId = asMeaningfulId(service.id);
  if (serviceId === null) return undefined;
  const lastCommentId = asMeaningfulId(service.last_comment_id);
  return lastCommentId === null ? ['resolved', serviceId] : ['resolved', serviceId, lastCommentId];
}

/** Mark as resolved → `conversation.resolved`. */
const markAsResolvedKind: OmnichannelKind = {
  hint: 'mark-as-resolved',
  recognise(payload) {
    const parsed = MarkAsResolvedSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { resolved_by: resolvedBy, service, customer } = parsed.data;
    return {
      type: 'conversation.resolved',
      id: resolvedEventId(service),
      time: firstUsableTime(service.resolved_at, service.updated_at),
      data: {
        conversationId: asMeaningfulId(service.room_id),
        // The service's source is the room's channel (`qiscus`, `wa`...).
        channel: asText(service.source),
        customer: customer ? customerParticipant(customer) : null,
        resolvedBy: agentParticipant(resolvedBy),
        notes: asText(service.notes),
      },
    };
  },
};

/**
 * Custom agent allocation → `agent.allocation_requested`. It carries no id and no time of its own (it repeats
 * for every message until an agent is assigned), so the event id is the body's hash and the time the
 * received time.
 */
const agentAllocationKind: OmnichannelKind = {
  hint: 'agent-allocation',
  recognise(payload) {
    const parsed = AgentAllocationSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const allocation = parsed.data;
    const name = asText(allocation.name);
    // Qiscus' customer `email` is its user id (a phone number for WhatsApp).
    const email = asText(allocation.email);
    return {
      type: 'agent.allocation_requested',
      data: {
        conversationId: asMeaningfulId(allocation.room_id) ?? asMeaningfulId(allocation.latest_service?.room_id),
        channel: asText(allocation.source),
        customer: name || email ? participant({ id: email, name, email, role: 'customer' }) : null,
        candidateAgent: allocation.candidate_agent ? agentParticipant(allocation.candidate_agent) : null,
      },
    };
  },
};

/** Labelled properties as label/value pairs; a blank value is null, a number its text; unlabelled ones are left out. */
function customerProperties(properties: CustomButton['customer_properties']): { label: string; value: string | null }[] {
  return (properties ?? []).flatMap((property) => {
    const label = asText(property.label);
    return label === null ? [] : [{ label, value: asId(property.value) }];
  });
}

/**
 * Custom button → `custom_button.clicked`. No id or time of its own: the event id is the body's hash (two clicks
 * with byte-identical bodies cannot be told apart), the time the received time.
 */
const customButtonKind: OmnichannelKind = {
  hint: 'custom-button',
  recognise(payload) {
    const parsed = CustomButtonSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const button = parsed.data;
    return {
      type: 'custom_button.clicked',
      data: {
        conversationId: asMeaningfulId(button.room_id),
        // The only channel this kind names, as Qiscus writes it ("Qiscus Widget", "WhatsApp"...).
        channel: asText(button.channel_type),
        agent: agentParticipant(button.agent),
        customer: customerParticipant(button.customer),
        customerProperties: customerProperties(button.customer_properties),
      },
    };
  },
};

/**
 * User logout → `user.logged_out`. One user logs out once at a given second, so user id and timestamp
 * together name the event; without either, the body's hash does.
 */
const userLogoutKind: OmnichannelKind = {
  hint: 'user-logout',
  recognise(payload) {
    const parsed = UserLogoutSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { user, timestamp } = parsed.data.payload;
    const normalisedUser = agentParticipant(user);
    const at = asId(timestamp);
    return {
      type: 'user.logged_out',
      id: normalisedUser.id !== null && at !== null ? ['logout', normalisedUser.id, at] : undefined,
      time: timestamp,
      data: { conversationId: null, channel: null, user: normalisedUser },
    };
  },
};

// New session before bot webhook: its payload has a bot webhook's from/room/message. (The bot webhook's shape
// also insists on a comment type, which a new session lacks, so the order is a second safeguard.)
const KINDS: readonly OmnichannelKind[] = [
  newSessionKind,
  botWebhookKind,
  markAsResolvedKind,
  agentAllocationKind,
  customButtonKind,
  userLogoutKind,
];

/** The URL kind hints Qiscus Omnichannel understands: `bot`, `new-session`, `mark-as-resolved`... */
export const OMNICHANNEL_KIND_HINTS: readonly string[] = KINDS.map((kind) => kind.hint);

/**
 * Recognises a Qiscus Omnichannel payload. The hinted kind is tried first, which settles a payload that would
 * fit two shapes; then every kind in the default order, so a wrong or unknown hint never loses an event.
 *
 * @param payload - the parsed body
 * @param context - the URL kind hint, if any (any case)
 * @returns the recognition, or undefined when no kind's shape fits
 */
export function recogniseOmnichannel(payload: unknown, context: RecognitionContext): Recognition | undefined {
  const hint = context.kindHint?.trim().toLowerCase();
  const hinted = KINDS.find((kind) => kind.hint === hint);
  const order = hinted ? [hinted, ...KINDS.filter((kind) => kind !== hinted)] : KINDS;
  for (const kind of order) {
    const recognition = kind.recognise(payload);
    if (recognition) return recognition;
  }
  return undefined;
}
