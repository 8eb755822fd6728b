/** The parts of a delivered CloudEvent the reference receiver reads; the rest it leaves alone, as a team's endpoint would. */
import { z } from 'zod';

const ReceivedEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  provider: z.string().min(1),
  subject: z.string().min(1).optional(),
  data: z.looseObject({ conversationId: z.string().nullish() }).optional(),
});
export type ReceivedEvent = z.infer<typeof ReceivedEventSchema>;

/** The event of a body, or undefined when it is no JSON or lacks `id`, `type` or `provider`. */
export function parseReceivedEvent(body: Buffer): ReceivedEvent | undefined {
  try {
    const parsed = ReceivedEventSchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The conversation an event belongs to: its `subject`, else `data.conversationId`. */
export function conversationOf(event: ReceivedEvent): string | undefined {
  return event.subject ?? event.data?.conversationId ?? undefined;
}
