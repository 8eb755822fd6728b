/**
 * Recognition of the six Qiscus Omnichannel webhook kinds, which share no type field: each is tried by its
 * shape, and an optional URL hint (each kind is registered at its own URL) only decides which is tried first.
 */
import type { Recognition, RecognitionContext } from '../../../events/delivery.js';
import type { OmnichannelKind } from './kind.js';
import { agentAllocationKind } from './kinds/agent-allocation.js';
import { botWebhookKind } from './kinds/bot-webhook.js';
import { customButtonKind } from './kinds/custom-button.js';
import { markAsResolvedKind } from './kinds/mark-as-resolved.js';
import { newSessionKind } from './kinds/new-session.js';
import { userLogoutKind } from './kinds/user-logout.js';

// New session before bot webhook: its payload has a bot webhook's from/room/message. (The bot webhook's shape
// also insists on a comment type, which a new session lacks, so the order is a second safeguard.)
const KINDS: readonly OmnichannelKind[] = [
  newSessionKind,
  botWebhookKind,
  markAsResolvedKind,
  agentAllocationKind,
  customButtonKind,
  userLogoutKind,
];

/** The URL kind hints Qiscus Omnichannel understands: `bot`, `new-session`, `mark-as-resolved`... */
export const OMNICHANNEL_KIND_HINTS: readonly string[] = KINDS.map((kind) => kind.hint);

/**
 * Recognises a Qiscus Omnichannel payload. The hinted kind is tried first, which settles a payload that would
 * fit two shapes; then every kind in the default order, so a wrong or unknown hint never loses an event.
 *
 * @param payload - the parsed body
 * @param context - the URL kind hint, if any (any case)
 * @returns the recognition, or undefined when no kind's shape fits
 */
export function recogniseOmnichannel(payload: unknown, context: RecognitionContext): Recognition | undefined {
  const hint = context.kindHint?.trim().toLowerCase();
  const hinted = KINDS.find((kind) => kind.hint === hint);
  const order = hinted ? [hinted, ...KINDS.filter((kind) => kind !== hinted)] : KINDS;
  for (const kind of order) {
    const recognition = kind.recognise(payload);
    if (recognition) return recognition;
  }
  return undefined;
}
