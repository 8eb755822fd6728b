/** The header the baseline handler reads its signature from: hex HMAC-SHA256 of the raw body. */
export const BASELINE_SIGNATURE_HEADER = 'x-baseline-signature';
