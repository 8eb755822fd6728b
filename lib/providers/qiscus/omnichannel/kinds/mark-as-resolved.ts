/** Mark as resolved webhook: an admin, supervisor or agent resolved a conversation. */
import * as z from 'zod/mini';
import { asMeaningfulId, asText } from '../../../kit/coerce.js';
import { firstUsableTime } from '../../shared/index.js';
import type { OwnEventId } from '../../../../events/delivery.js';
import type { OmnichannelKind } from '../kind.js';
import { agentParticipant, customerParticipant } from '../people.js';
import { OmnichannelAgentSchema, OmnichannelCustomerSchema, OmnichannelServiceSchema } from '../records.js';

/** The mark-as-resolved payload: who resolved which service (session of a room), for which customer. */
export const MarkAsResolvedSchema = z.looseObject({
  resolved_by: OmnichannelAgentSchema,
  service: OmnichannelServiceSchema,
  customer: z.nullish(OmnichannelCustomerSchema),
});
export type MarkAsResolved = z.infer<typeof MarkAsResolvedSchema>;

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
export const markAsResolvedKind: OmnichannelKind = {
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
