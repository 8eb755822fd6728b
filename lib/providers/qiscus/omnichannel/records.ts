/**
 * Zod schemas of the records Qiscus Omnichannel embeds in several webhook kinds: a dashboard user (admin,
 * supervisor, agent), a customer, and a service (one session of a room, from first message to resolution).
 * Loose, like every payload schema here: unknown fields pass.
 */
import * as z from 'zod/mini';
import { QiscusIdSchema, QiscusTimeSchema } from '../shared/index.js';

/** A dashboard user: `resolved_by`, `candidate_agent`, a custom button's `agent`, a logout's `user`. */
export const OmnichannelAgentSchema = z.looseObject({
  id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  email: z.nullish(z.string()),
  // `"admin"` in some kinds, `1` / `2` / `3` (with `type_as_string`) in others.
  type: z.nullish(z.union([z.number(), z.string()])),
  type_as_string: z.nullish(z.string()),
});
export type OmnichannelAgent = z.infer<typeof OmnichannelAgentSchema>;

/** A customer as the mark-as-resolved and custom-button webhooks describe one. */
export const OmnichannelCustomerSchema = z.looseObject({
  user_id: z.nullish(QiscusIdSchema),
  name: z.nullish(z.string()),
  avatar: z.nullish(z.string()),
});
export type OmnichannelCustomer = z.infer<typeof OmnichannelCustomerSchema>;

/** A service: `service` of mark-as-resolved, `latest_service` of custom agent allocation. */
export const OmnichannelServiceSchema = z.looseObject({
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
export type OmnichannelService = z.infer<typeof OmnichannelServiceSchema>;
