/**
 * Zod schemas of the records Qiscus Omnichannel embeds in several webhook kinds: a dashboard user (admin,
 * supervisor, agent), a customer, and a service (one session of a room, from first message to resolution).
 * Loose, like every payload schema here: unknown fields pass.
 */
import { z } from 'zod';
import { QiscusIdSchema, QiscusTimeSchema } from '../qiscus-shared/index.js';

/** A dashboard user: `resolved_by`, `candidate_agent`, a custom button's `agent`, a logout's `user`. */
export const OmnichannelAgentSchema = z.looseObject({
  id: QiscusIdSchema.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  // `"admin"` in some kinds, `1` / `2` / `3` (with `type_as_string`) in others.
  type: z.union([z.number(), z.string()]).nullish(),
  type_as_string: z.string().nullish(),
});
export type OmnichannelAgent = z.infer<typeof OmnichannelAgentSchema>;

/** A customer as the mark-as-resolved and custom-button webhooks describe one. */
export const OmnichannelCustomerSchema = z.looseObject({
  user_id: QiscusIdSchema.nullish(),
  name: z.string().nullish(),
  avatar: z.string().nullish(),
});
export type OmnichannelCustomer = z.infer<typeof OmnichannelCustomerSchema>;

/** A service: `service` of mark-as-resolved, `latest_service` of custom agent allocation. */
export const OmnichannelServiceSchema = z.looseObject({
  id: QiscusIdSchema.nullish(),
  room_id: QiscusIdSchema.nullish(),
  notes: z.string().nullish(),
  source: z.string().nullish(),
  is_resolved: z.boolean().nullish(),
  first_comment_id: QiscusIdSchema.nullish(),
  last_comment_id: QiscusIdSchema.nullish(),
  resolved_at: QiscusTimeSchema.nullish(),
  updated_at: QiscusTimeSchema.nullish(),
});
export type OmnichannelService = z.infer<typeof OmnichannelServiceSchema>;
