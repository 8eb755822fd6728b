import { jsonCandidateText } from '../kit/body.js';
import { parseFaithfulJson } from '../kit/exact-json.js';
import { SignatureMismatchError } from '../kit/errors.js';
import { readSingleHeader } from '../kit/headers.js';
import { hmacMatches, usableSecrets } from '../kit/hmac.js';
import type { WebhookDelivery } from '../../events/delivery.js';

const HEADER = 'x-chatzuri-signature';
const PROVIDER = 'chatzuri';

// The developer guide's form: `sha256=<hex>`. Without the prefix the value is the API page's SHA-1.
const SHA256_PREFIX = /^sha256=/i;

/**
 * The compact re-serialisation of the body, as Chatzuri's sample code signs it (`JSON.stringify(req.body)`);
 * undefined when the body is not JSON, or holds a number `JSON.parse` cannot hold faithfully: its digits
 * would not be covered by such a signature, yet would reach the event. The parse is bounded like every
 * body's: at most the receiver's size limit, nesting measured before parsing, linear in the size.
 */
function compactJson(rawBody: Uint8Array): Uint8Array | undefined {
  const text = jsonCandidateText(rawBody);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseFaithfulJson(text);
  } catch {
    return undefined;
  }
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Verifies Chatzuri's `x-chatzuri-signature` header in any of its documented forms:
 * 1. hex HMAC-SHA1 of the raw body (the Webhooks API page);
 * 2. hex HMAC-SHA1 of the compact `JSON.stringify` of the parsed body: the API page's own sample code
 *    re-serialises before hashing, so a sender built like it signs that form. Tried only when (1) did not
 *    match and the body is JSON without a number a double cannot hold faithfully. It authenticates the
 *    parsed content rather than the exact bytes (other whitespace or escapes, or a duplicated key
 *    JSON.parse drops, verify too); the normalised event is built from that same parsed content, and its
 *    id, without a message id, is the hash of this very compact form, so such copies share one id;
 * 3. `sha256=<hex HMAC-SHA256 of the raw body>` (the developer guide). Under this prefix only SHA-256 is
 *    tried: a SHA-1 value there is a mismatch.
 *
 * @param delivery - the delivery as received
 * @param secrets - accepted secret keys, current first (rotation)
 * @throws NoSecretConfiguredError when no secret is configured (fail closed)
 * @throws MissingSignatureError when the header is absent or blank
 * @throws MalformedSignatureError when the header is sent more than once
 * @throws SignatureMismatchError when no secret produces the signature, including a wrong encoding
 * @example
 * verifyChatzuriSignature({ ...delivery, headers: { 'x-chatzuri-signature': 'sha256=5d41...' } }, [current, previous]);
 */
export function verifyChatzuriSignature(delivery: WebhookDelivery, secrets: readonly string[]): void {
  const accepted = usableSecrets(PROVIDER, secrets);
  const value = readSingleHeader(delivery.headers, HEADER);
  if (SHA256_PREFIX.test(value)) {
    const signature = value.replace(SHA256_PREFIX, '');
    if (hmacMatches({ algorithm: 'sha256', encoding: 'hex', signature, secrets: accepted, payload: delivery.rawBody })) return;
    throw new SignatureMismatchError(HEADER);
  }
  const sha1 = { algorithm: 'sha1', encoding: 'hex', signature: value, secrets: accepted } as const;
  if (hmacMatches({ ...sha1, payload: delivery.rawBody })) return;
  const compact = compactJson(delivery.rawBody);
  if (compact !== undefined && hmacMatches({ ...sha1, payload: compact })) return;
  throw new SignatureMismatchError(HEADER);
}
