/** User logout webhook: an admin, supervisor or agent logged out of the Omnichannel dashboard. */
import * as z from 'zod/mini';
import { asId } from '../../../kit/coerce.js';
import { QiscusTimeSchema } from '../../shared/index.js';
import type { OmnichannelKind } from '../kind.js';
import { agentParticipant } from '../people.js';
import { OmnichannelAgentSchema } from '../records.js';

/** The user logout payload: an `auth` event whose action is `logout`, with the dashboard user. */
export const UserLogoutSchema = z.looseObject({
  type: z.literal('auth'),
  payload: z.looseObject({
    action: z.literal('logout'),
    timestamp: z.nullish(QiscusTimeSchema),
    user: OmnichannelAgentSchema,
  }),
});
export type UserLogout = z.infer<typeof UserLogoutSchema>;

/**
 * User logout → `user.logged_out`. One user logs out once at a given second, so user id and timestamp
 * together name the event; without either, the body's hash does.
 */
export const userLogoutKind: OmnichannelKind = {
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
