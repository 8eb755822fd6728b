import type { WebhookDelivery } from '../../../events/delivery.js';
import { verifyQiscusSignature, type QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Omnichannel: `qiscus-signature-key` = base64(HMAC-SHA256(raw body, Qiscus Secret Key)). */
export const QISCUS_OMNICHANNEL_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-omnichannel',
  header: 'qiscus-signature-key',
  encoding: 'base64',
};

/** Verifies a Qiscus Omnichannel delivery by {@link QISCUS_OMNICHANNEL_SIGNATURE}; throws as `verifyQiscusSignature` does. */
export function verifyQiscusOmnichannelSignature(delivery: WebhookDelivery, secrets: readonly string[]): void {
  verifyQiscusSignature(QISCUS_OMNICHANNEL_SIGNATURE, delivery, secrets);
}
