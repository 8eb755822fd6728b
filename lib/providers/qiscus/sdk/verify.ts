import type { WebhookDelivery } from '../../../events/delivery.js';
import { verifyQiscusSignature, type QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Chat SDK: `QISCUS-SDK-SIGNATURE` = hex(HMAC-SHA256(raw body, signature token)). */
export const QISCUS_SDK_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-sdk',
  header: 'QISCUS-SDK-SIGNATURE',
  encoding: 'hex',
};

/** Verifies a Qiscus Chat SDK delivery by {@link QISCUS_SDK_SIGNATURE}; throws as `verifyQiscusSignature` does. */
export function verifyQiscusSdkSignature(delivery: WebhookDelivery, secrets: readonly string[]): void {
  verifyQiscusSignature(QISCUS_SDK_SIGNATURE, delivery, secrets);
}
