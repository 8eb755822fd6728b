import type { WebhookDelivery } from '../../../events/delivery.js';
import { verifyQiscusSignature, type QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Chat SDK: `QISCUS-SDK-SIGNATURE` = hex(HMAC-SHA256(raw body, signature token)). */
export const QISCUS_SDK_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-sdk',
  header: 'QISCUS-SDK-SIGNATURE',
  encoding: 'hex',
};

/**
 * Verifies a Qiscus Chat SDK delivery: `QISCUS-SDK-SIGNATURE` must hold the hex HMAC-SHA256 of the raw body
 * under one of the signature tokens. A base64 digest is a mismatch.
 *
 * @param delivery - the delivery as received
 * @param secrets - accepted signature tokens, current first (rotation)
 * @throws NoSecretConfiguredError when no token is configured (fail closed)
 * @throws MissingSignatureError when the header is absent or blank
 * @throws MalformedSignatureError when the header was sent more than once
 * @throws SignatureMismatchError when no token produces the signature
 */
export function verifyQiscusSdkSignature(delivery: WebhookDelivery, secrets: readonly string[]): void {
  verifyQiscusSignature(QISCUS_SDK_SIGNATURE, delivery, secrets);
}
