/**
 * The secret local destinations sign with, and `npm run receive` verifies with: `DESTINATION_SECRET` (with
 * `DESTINATION_SECRET_PREVIOUS` during a rotation: both signatures are sent), else one fixed development secret,
 * public and printed in both banners, so the two-terminal demo works with no flags.
 */
import { SigningSecretError, webhookSignature } from '../../lib/destinations/signing.js';
import { readEnvironmentSecrets, type EnvironmentSecrets, type EnvironmentSecretSpec } from './secrets.js';

/**
 * The DEVELOPMENT destination secret: the base64 of `dev-only-destination-secret-not-for-production`. Public (it is
 * in this repository): never configure it for a real destination.
 */
export const DEVELOPMENT_DESTINATION_SECRET = 'whsec_ZGV2LW9ubHktZGVzdGluYXRpb24tc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg==';

/** What a usable destination secret is, completing "must be ...". */
export const DESTINATION_SECRET_NEEDS = 'a Standard Webhooks secret: whsec_ followed by a base64 key of 24 to 64 bytes (e.g. whsec_$(openssl rand -base64 32))';

/**
 * Whether `value` is `whsec_` and a key the destinations sign with (the rule of lib/destinations/signing.ts)
 * that receivers decode too: its base64 strict (the `standardwebhooks` package refuses what does not decode).
 *
 * @example isDestinationSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') // true
 */
export function isDestinationSecret(value: string): boolean {
  if (!value.startsWith('whsec_')) return false;
  try {
    // The destinations' own rule: a secret they cannot sign with is refused here, before any delivery.
    webhookSignature([value], 'check', 0, '');
  } catch (error) {
    if (error instanceof SigningSecretError) return false;
    throw error;
  }
  const base64 = value.slice('whsec_'.length);
  return Buffer.from(base64, 'base64').toString('base64') === base64;
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
