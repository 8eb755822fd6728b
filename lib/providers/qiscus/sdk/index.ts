import type { ProviderDefinition } from '../../types.js';
import { recogniseQiscusSdk } from './recognise.js';
import { verifyQiscusSdkSignature } from './verify.js';

/**
 * Qiscus Chat SDK: one webhook for every message posted, from a client (`post_comment_mobile`) or through
 * the server API (`post_comment_rest`), normalised to `message.received`.
 *
 * Qiscus sends the signature header only once a signature token was generated in its dashboard; until then
 * every delivery is refused here (fail closed), which is the point.
 */
export const qiscusSdk: ProviderDefinition = {
  slug: 'qiscus-sdk',
  displayName: 'Qiscus Chat SDK',
  secretDescription: 'Qiscus webhook signature token (Qiscus dashboard → Settings → Webhook)',
  // One webhook kind only: there is nothing for a URL hint to choose between.
  kinds: [],
  verify: verifyQiscusSdkSignature,
  recognise: (payload) => recogniseQiscusSdk(payload),
};
