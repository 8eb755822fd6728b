/**
 * Zod schemas of Qiscus Omnichannel's webhook payloads: the records several kinds embed (a dashboard user, a
 * customer, a service: one session of a room, from first message to resolution) and the payload of each kind
 * but the bot webhook, whose payload is the family's comment event (`../shared/schemas.ts`).
 * Loose, like every payload schema here: unknown fields pass.
 */
import * as z from 'zod/mini';
import { QiscusIdSchema, QiscusMessageSchema, QiscusRoomSchema, QiscusTimeSchema, QiscusUserSchema } from '../shared/index.js';

/** A dashboard user: `resolved_by`, `candidate_agent`, a custom button's `agent`, a logout's `user`. */
const OmnichannelAgentSchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  email: z.nullish(z.string()),
  // `"admin"` in some kinds, `1` / `2` / `3` (with `type_as_string`) in others.
  type: z.nullish(z.union([z.number(), z.string()])),
  type_as_string: z.nullish(z.string()),
});
export type OmnichannelAgent = z.infer<typeof OmnichannelAgentSchema>;

/** A customer as the mark-as-resolved and custom-button webhooks describe one. */
const OmnichannelCustomerSchema = z.looseObject({
  user_id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  avatar: z.nullish(z.string()),
});
export type OmnichannelCustomer = z.infer<typeof OmnichannelCustomerSchema>;

/** A service: `service` of mark-as-resolved, `latest_service` of custom agent allocation. */
const OmnichannelServiceSchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  room_id: z.nullish(QiscusIdSchema),
  notes: z.nullish(z.string()),
  source: z.nullish(z.string()),
  is_resolved: z.nullish(z.boolean()),
  first_comment_id: z.nullish(QiscusIdSchema),
  last_comment_id: z.nullish(QiscusIdSchema),
  resolved_at: z.nullish(QiscusTimeSchema),
  updated_at: z.nullish(QiscusTimeSchema),
});

// Custom agent allocation: a customer wrote and has no agent yet.

/** The custom agent allocation payload: the customer's record, the room's latest service, the candidate agent. */
export const AgentAllocationSchema = z.looseObject({
  // The key must be there (it is what marks this kind); null would mean no candidate.
  candidate_agent: z.nullable(OmnichannelAgentSchema),
  latest_service: z.nullish(OmnichannelServiceSchema),
  room_id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  email: z.nullish(z.string()),
  source: z.nullish(z.string()),
});

// Custom button: an admin, supervisor or agent clicked a custom button beside a conversation.

/** One customer property shown beside the button; `value` is whatever the dashboard holds (often `""`). */
const CustomerPropertySchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  label: z.nullish(z.string()),
  value: z.optional(z.unknown()),
});

/** The custom button payload: who clicked, for which customer and room, with the customer's properties. */
export const CustomButtonSchema = z.looseObject({
  agent: OmnichannelAgentSchema,
  customer: OmnichannelCustomerSchema,
  room_id: QiscusIdSchema,
  customer_properties: z.nullish(z.array(CustomerPropertySchema)),
  additional_info: z.optional(z.unknown()),
  notes: z.nullish(z.string()),
  channel_id: z.nullish(QiscusIdSchema),
  channel_name: z.nullish(z.string()),
  channel_type: z.nullish(z.string()),
});
export type CustomButton = z.infer<typeof CustomButtonSchema>;

// Mark as resolved: an admin, supervisor or agent resolved a conversation.

/** The mark-as-resolved payload: who resolved which service (session of a room), for which customer. */
export const MarkAsResolvedSchema = z.looseObject({
  resolved_by: OmnichannelAgentSchema,
  service: OmnichannelServiceSchema,
  customer: z.nullish(OmnichannelCustomerSchema),
});
export type MarkAsResolved = z.infer<typeof MarkAsResolvedSchema>;

// New session: a customer's first message, or the first after their previous conversation was resolved.

/** The room's log entry for the new session. */
const RoomLogSchema = z.looseObject({
  room_id: z.nullish(QiscusIdSchema),
  user_id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  source: z.nullish(z.string()),
  channel_id: z.nullish(QiscusIdSchema),
  created_at: z.nullish(QiscusTimeSchema),
});

/** The new-session payload: a comment payload without a comment type, marked as a new session, with the room's log. */
export const NewSessionSchema = z
  .looseObject({
    webhook_type: z.optional(z.literal('NEW_SESSION_WEBHOOK')),
    is_new_session: z.optional(z.boolean()),
    payload: z.nullish(
      z.looseObject({
        from: z.nullish(QiscusUserSchema),
        room: z.nullish(QiscusRoomSchema),
        message: z.nullish(QiscusMessageSchema),
      }),
    ),
    room_log: z.nullish(RoomLogSchema),
  })
  .check(
    z.refine(
      (session) =>
        session.webhook_type !== undefined || (session.is_new_session === true && session.room_log != null),
      { error: 'webhook_type NEW_SESSION_WEBHOOK, or is_new_session with a room_log, expected' },
    ),
  );

/**
 * The refinement of {@link NewSessionSchema}, read on the raw payload before any parsing, so that a bot webhook
 * (the commonest delivery) is not parsed in full only to fail this last check (its cost: BENCHMARKS.md). A
 * necessary condition only, never a sufficient one: what passes is still parsed in full, and nothing the schema
 * would accept fails it (test/providers/qiscus-omnichannel.test.ts checks this on generated input).
 */
export function mayBeNewSession(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const { webhook_type: type, is_new_session: isNew, room_log: log } = payload as Record<string, unknown>;
  return type !== undefined || (isNew === true && log != null);
}

// User logout: an admin, supervisor or agent logged out of the Omnichannel dashboard.

/** The user logout payload: an `auth` event whose action is `logout`, with the dashboard user. */
export const UserLogoutSchema = z.looseObject({
  type: z.literal('auth'),
  payload: z.looseObject({
    action: z.literal('logout'),
    timestamp: z.nullish(QiscusTimeSchema),
    user: OmnichannelAgentSchema,
  }),
});
