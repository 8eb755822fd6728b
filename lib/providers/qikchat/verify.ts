import { MalformedSignatureError, SignatureMismatchError } from '../kit/errors.js';
import { readSingleHeader } from '../kit/headers.js';
import { anySecretMatches, decodeSignature, usableSecrets } from '../kit/hmac.js';
import type { WebhookDelivery } from '../../events/delivery.js';

const HEADER = 'Authorization';
const PROVIDER = 'qikchat';

// RFC 7235: `<scheme> 1*SP <token68>`; the scheme is case-insensitive.
const CREDENTIALS = /^(\S+) +(\S+)$/;

const utf8 = new TextEncoder();

/**
 * Verifies Qikchat's HTTP Basic authentication: `Authorization: Basic base64(user:password)`, as set with
 * the webhook URL (`{"headers": {"Authorization": "Basic ..."}}`).
 *
 * Each accepted secret is a `user:password` string. The decoded credentials are compared whole, byte for
 * byte, in constant time: RFC 7617 splits user-id and password at the FIRST colon (a password may contain
 * `:`, a user-id may not), and since both sides are split the same way, comparing the whole string is
 * the same as comparing user and password, without a split that could go wrong.
 *
 * Basic authentication proves who sent the delivery, not that its body is intact: unlike an HMAC, the
 * credentials do not depend on the body. TLS is what protects the body in transit.
 *
 * @param delivery - the delivery as received
 * @param secrets - accepted `user:password` credentials, current first (rotation)
 * @throws NoSecretConfiguredError when no credentials are configured (fail closed)
 * @throws MissingSignatureError when the `Authorization` header is absent or blank
 * @throws MalformedSignatureError when it is sent twice or is not `Basic <token>`
 * @throws SignatureMismatchError when the credentials match none of the accepted ones, including a token
 *   that is not valid base64
 * @example
 * verifyQikchatBasicAuth({ ...delivery, headers: { authorization: 'Basic dXNlcjpwYXNz' } }, ['user:pass']);
 */
export function verifyQikchatBasicAuth(delivery: WebhookDelivery, secrets: readonly string[]): void {
  const accepted = usableSecrets(PROVIDER, secrets);
  const value = readSingleHeader(delivery.headers, HEADER);
  const match = CREDENTIALS.exec(value);
  // Never echo the header's value: it carries credentials, and the error goes to the log.
  if (match === null) throw new MalformedSignatureError(HEADER, 'expected "Basic <credentials>"');
  const [, scheme = '', token = ''] = match;
  if (scheme.toLowerCase() !== 'basic') throw new MalformedSignatureError(HEADER, 'not the Basic scheme');
  // A well-formed header whose token is not base64 (hex, plain text) is wrong credentials, not malformed.
  const received = decodeSignature(token, 'base64');
  if (received === undefined) throw new SignatureMismatchError(HEADER);
  if (!anySecretMatches(accepted, received, (secret) => utf8.encode(secret))) throw new SignatureMismatchError(HEADER);
}
