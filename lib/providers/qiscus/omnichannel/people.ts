/** Qiscus Omnichannel dashboard users and customers as normalised participants. */
import type { Participant } from '../../../events/schema.js';
import { asId, asMeaningfulId, asText, participant } from '../../kit/coerce.js';
import type { OmnichannelAgent, OmnichannelCustomer } from './records.js';

// The numeric user types, as the logout and agent-allocation samples pair them with `type_as_string`.
const ROLE_BY_TYPE: ReadonlyMap<string, string> = new Map([
  ['1', 'admin'],
  ['2', 'agent'],
  ['3', 'supervisor'],
]);

/** The user's role in Qiscus' words: `type_as_string`, else `type` (a word, or a number mapped to one). */
export function omnichannelRole(user: OmnichannelAgent): string | null {
  const type = asId(user.type);
  return asText(user.type_as_string) ?? (type === null ? null : (ROLE_BY_TYPE.get(type) ?? type));
}

/** A dashboard user (admin, supervisor, agent) as a participant; its id is the numeric Omnichannel user id. */
export function agentParticipant(user: OmnichannelAgent): Participant {
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
export function customerParticipant(customer: OmnichannelCustomer): Participant {
  return participant({ id: asId(customer.user_id), name: asText(customer.name), role: 'customer' });
}
