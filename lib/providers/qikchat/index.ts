import type { ProviderDefinition } from '../types.js';
import { recogniseQikchat } from './recognise.js';
import { verifyQikchatBasicAuth } from './verify.js';

/**
 * Qikchat (WhatsApp Business API): incoming messages (`whatsapp:message:in`) and statuses of sent
 * messages (`whatsapp:message:status`), authenticated with HTTP Basic credentials.
 *
 * Qikchat waits at most 2 seconds for the answer and sends up to three status callbacks per outgoing
 * message, many in parallel: the receiver must acknowledge first and process later.
 */
export const qikchat: ProviderDefinition = {
  slug: 'qikchat',
  displayName: 'Qikchat (WhatsApp Business API)',
  secretDescription: 'user:password of the Basic Authorization header set with the webhook URL',
  // Both events arrive at the one webhook URL Qikchat allows; the shape tells them apart.
  kinds: [],
  verify: verifyQikchatBasicAuth,
  recognise: (payload) => recogniseQikchat(payload),
};
