import type { ProviderDefinition } from '../../types.js';
import { OMNICHANNEL_KIND_HINTS, recogniseOmnichannel } from './recognise.js';
import { verifyQiscusOmnichannelSignature } from './verify.js';

/**
 * Qiscus Omnichannel Chat: six webhook kinds (bot webhook, new session, mark as resolved, custom agent
 * allocation, custom button, user logout), each registered at its own URL, all signed with the app's Qiscus
 * Secret Key. Qiscus says nothing public about which kinds carry the signature; every delivery is verified
 * (fail closed) until proven otherwise.
 *
 * @example
 * // POST /webhooks/qiscus-omnichannel/mark-as-resolved
 * qiscusOmnichannel.recognise(body, { kindHint: 'mark-as-resolved' })?.type // 'conversation.resolved'
 */
export const qiscusOmnichannel: ProviderDefinition = {
  slug: 'qiscus-omnichannel',
  displayName: 'Qiscus Omnichannel Chat',
  secretDescription: 'Qiscus Secret Key (Omnichannel → Settings → App Information)',
  kinds: OMNICHANNEL_KIND_HINTS,
  verify: verifyQiscusOmnichannelSignature,
  recognise: recogniseOmnichannel,
};
