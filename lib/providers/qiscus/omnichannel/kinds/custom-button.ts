/** Custom button webhook: an admin, supervisor or agent clicked a custom button beside a conversation. */
import * as z from 'zod/mini';
import { asId, asMeaningfulId, asText } from '../../../kit/coerce.js';
import { QiscusIdSchema } from '../../shared/index.js';
import type { OmnichannelKind } from '../kind.js';
import { agentParticipant, customerParticipant } from '../people.js';
import { OmnichannelAgentSchema, OmnichannelCustomerSchema } from '../records.js';

/** One customer property shown beside the button; `value` is whatever the dashboard holds (often `""`). */
export const CustomerPropertySchema = z.looseObject({
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
export const customButtonKind: OmnichannelKind = {
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
