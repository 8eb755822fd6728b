/**
 * Custom agent allocation webhook: a customer wrote and has no agent yet; the payload is the customer's record
 * with the room's latest service and the agent Qiscus would pick.
 */
import * as z from 'zod/mini';
import { asMeaningfulId, asText, participant } from '../../../kit/coerce.js';
import { QiscusIdSchema } from '../../shared/index.js';
import type { OmnichannelKind } from '../kind.js';
import { agentParticipant } from '../people.js';
import { OmnichannelAgentSchema, OmnichannelServiceSchema } from '../records.js';

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
export type AgentAllocation = z.infer<typeof AgentAllocationSchema>;

/**
 * Custom agent allocation → `agent.allocation_requested`. It carries no id and no time of its own (it repeats
 * for every message until an agent is assigned), so the event id is the body's hash and the time the
 * received time.
 */
export const agentAllocationKind: OmnichannelKind = {
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
