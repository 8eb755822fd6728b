import { createHmac } from 'node:crypto';
import { GatewayError } from '../events/errors.js';

/** The prefix of a Standard Webhooks secret: `whsec_<base64 key>`. */
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The signing secret is not `whsec_<base64 key>`: deliveries fail (and are retried) until it is fixed. */
export class SigningSecretError extends GatewayError<'signing_secret'> {
  override readonly name: string = 'SigningSecretError';

  constructor(message: string) {
    super('signing_secret', message);
  }
}

/**
 * The key bytes of a `whsec_…` secret; the prefix may be left out, as the reference libraries allow (the stack's
 * generated secret is 48 letters and digits: a valid base64 key of 36 bytes). Never echoes the secret.
 */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length < 32 || encoded.length > 88 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new SigningSecretError('The destination signing secret must be whsec_ followed by a base64 key of 24 to 64 bytes');
  }
  return Buffer.from(encoded, 'base64');
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each
 * secret, current first, space-separated (two during a rotation, so receivers holding either secret verify).
 *
 * @param timestamp - Unix seconds, as sent in `webhook-timestamp`
 */
export function webhookSignature(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  if (secrets.length === 0) throw new SigningSecretError('No destination signing secret is configured');
  const content = `${id}.${String(timestamp)}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', signingKey(secret)).update(content).digest('base64')}`).join(' ');
}

/** The headers of a signed Standard Webhooks request. */
export function webhookHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(secrets, id, timestamp, body) };
}
