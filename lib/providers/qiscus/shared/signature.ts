/**
 * The signature both Qiscus products use: an HMAC-SHA256 of the raw body in one header. They differ only in
 * the header's name and the digest's encoding (Omnichannel: base64, Chat SDK: hex).
 */
import type { SignatureEncoding } from '../../kit/hmac.js';
import { usableSecrets, verifyHmac } from '../../kit/hmac.js';
import { readSingleHeader } from '../../kit/headers.js';
import type { WebhookDelivery } from '../../../events/delivery.js';

/** How one Qiscus product signs its deliveries. */
export interface QiscusSignatureScheme {
  /** Provider slug, for error messages. */
  readonly provider: string;
  /** The header carrying the signature, as the provider spells it (matched in any case). */
  readonly header: string;
  /** How the HMAC-SHA256 digest is written in the header. */
  readonly encoding: SignatureEncoding;
}

/**
 * Verifies a Qiscus delivery: the header must hold the HMAC-SHA256 of the raw body under one of the secrets,
 * in the scheme's encoding. A digest in the other encoding is a mismatch.
 *
 * @param scheme - the product's header and encoding
 * @param delivery - the delivery as received; its raw bytes are what was signed
 * @param secrets - accepted secrets, current first
 * @throws NoSecretConfiguredError when no secret is configured (checked first: a misconfiguration is the
 *   useful thing to log, whatever the request holds)
 * @throws MissingSignatureError when the header is absent or blank
 * @throws MalformedSignatureError when the header was sent more than once
 * @throws SignatureMismatchError when no secret produces the signature
 */
export function verifyQiscusSignature(
  scheme: QiscusSignatureScheme,
  delivery: WebhookDelivery,
  secrets: readonly string[],
): void {
  const accepted = usableSecrets(scheme.provider, secrets);
  const signature = readSingleHeader(delivery.headers, scheme.header);
  verifyHmac({
    provider: scheme.provider,
    header: scheme.header,
    algorithm: 'sha256',
    encoding: scheme.encoding,
    signature,
    secrets: accepted,
    payload: delivery.rawBody,
  });
}
