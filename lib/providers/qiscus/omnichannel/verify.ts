import type { WebhookDelivery } from '../../../events/delivery.js';
import { verifyQiscusSignature, type QiscusSignatureScheme } from '../shared/index.js';

/** Qiscus Omnichannel: `qiscus-signature-key` = base64(HMAC-SHA256(raw body, Qiscus Secret Key)). */
export const QISCUS_OMNICHANNEL_SIGNATURE: QiscusSignatureScheme = {
  provider: 'qiscus-omnichannel',
  header: 'qiscus-signature-key',
  encoding: 'base64',
};

/**
 * Verifies a Qiscus Omnichannel delivery: `qiscus-signature-key` must hold the base64 HMAC-SHA256 of the raw
 * body under one of the secrets. A hex digest is a mismatch.
 *
 * @param delivery - the delivery as received
 * @param secrets - accepted Qiscus Secret Keys, current first (rotation)
 * @throws NoSecretConfiguredError when no secret is configured (fail closed)
 * @throws MissingSignatureError when the header is absent or blank
 * @throws MalformedSignatureError when the header was sent more than once
 * @throws SignatureMismatchError when no secret produces the signature
 */
export function verifyQiscusOmnichannelSignature(delivery: WebhookDelivery, secrets: readonly string[]): void {
  verifyQiscusSignature(QISCUS_OMNICHANNEL_SIGNATURE, delivery, secrets);
}
