/**
 * The secret local destinations sign with, and `npm run receive` verifies with: `DESTINATION_SECRET` (with
 * `DESTINATION_SECRET_PREVIOUS` during a rotation: both signatures are sent), else one fixed development secret,
 * public and printed in both banners, so the two-terminal demo works with no flags.
 */
import { readEnvironmentSecrets, type EnvironmentSecrets, type EnvironmentSecretSpec } from './secrets.js';

/**
 * The DEVELOPMENT destination secret: the base64 of `dev-only-destination-secret-not-for-production`. Public (it is
 * in this repository): never configure it for a real destination.
 */
export const DEVELOPMENT_DESTINATION_SECRET = 'whsec_ZGV2LW9ubHktZGVzdGluYXRpb24tc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg==';

/** The fewest key bytes a destination secret has: 128 bits (Standard Webhooks suggests 24 to 64 bytes). */
const MINIMUM_KEY_BYTES = 16;
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** What a usable destination secret is, completing "must be ...". */
export const DESTINATION_SECRET_NEEDS = `a Standard Webhooks secret: whsec_ followed by the base64 of at least ${String(MINIMUM_KEY_BYTES)} random bytes (e.g. whsec_$(openssl rand -base64 24))`;

/**
 * Whether `value` is `whsec_<base64>` of at least 16 bytes, base64 strictly (padding included), so a key that lost a
 * character to a copy is caught here instead of as a signature no receiver accepts.
 *
 * @example isDestinationSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') // true
 */
export function isDestinationSecret(value: string): boolean {
  const base64 = WHSEC.exec(value)?.[1];
  if (base64 === undefined || base64.length % 4 !== 0) return false;
  const key = Buffer.from(base64, 'base64');
  return key.toString('base64') === base64 && key.length >= MINIMUM_KEY_BYTES;
}

const destinationSecretSpec: EnvironmentSecretSpec = {
  secretEnv: 'DESTINATION_SECRET',
  developmentSecret: DEVELOPMENT_DESTINATION_SECRET,
  secretNeeds: DESTINATION_SECRET_NEEDS,
  secretHasForm: isDestinationSecret,
};

/**
 * The destination secrets, current first: `DESTINATION_SECRET` and `DESTINATION_SECRET_PREVIOUS`, else the
 * development secret (`developmentDefault` true).
 *
 * @throws SecretVariableError naming the variable when one is set but no `whsec_` secret
 */
export function localDestinationSecrets(env: NodeJS.ProcessEnv = process.env): EnvironmentSecrets {
  return readEnvironmentSecrets(destinationSecretSpec, env);
}
