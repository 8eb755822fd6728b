import type { ProviderDefinition } from '../types.js';
import { recogniseChatzuri } from './recognise.js';
import { verifyChatzuriSignature } from './verify.js';

/**
 * Chatzuri (AI agents on WhatsApp, Telegram, Facebook, Instagram, email and the web widget): leads,
 * messages and conversation events, in either of its two documented envelopes, signed with HMAC-SHA1
 * (raw or compact-JSON body) or HMAC-SHA256 (`sha256=`).
 *
 * Chatzuri retries a non-2xx answer with exponential backoff for up to 24 hours, so the same delivery may
 * arrive again: the event id (the hash of its compact JSON when no message id is sent) lets the queue drop the copy.
 */
export const chatzuri: ProviderDefinition = {
  slug: 'chatzuri',
  displayName: 'Chatzuri',
  secretDescription: 'Chatzuri webhook secret key (signs x-chatzuri-signature)',
  // Every event and channel arrives at the one webhook URL; the envelope tells them apart.
  kinds: [],
  verify: verifyChatzuriSignature,
  recognise: (payload) => recogniseChatzuri(payload),
};
