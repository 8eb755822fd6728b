/** Qiscus users as normalised participants. */
import type { Participant } from '../../../events/schema.js';
import { asMeaningfulId, asText, participant } from '../../kit/coerce.js';
import type { QiscusUser } from './schemas.js';

/**
 * The id that names a Qiscus user: the SDK user id, which Qiscus sends in the `email` field (and, in
 * Omnichannel payloads, as a customer's `user_id`; for WhatsApp customers it is their number). It is stable
 * across every webhook kind, unlike the numeric `id`, which is often `0`; that is used only when there is no
 * `email`.
 */
export function qiscusUserId(user: QiscusUser): string | null {
  return asText(user.email) ?? asMeaningfulId(user.id_str) ?? asMeaningfulId(user.id);
}

/**
 * A Qiscus user (`payload.from`) as a participant.
 *
 * @param role - the role when the webhook kind tells it (`customer`), else null
 */
export function qiscusUserParticipant(user: QiscusUser, role: string | null = null): Participant {
  return participant({
    id: qiscusUserId(user),
    name: asText(user.name) ?? asText(user.username),
    email: asText(user.email),
    role,
  });
}
