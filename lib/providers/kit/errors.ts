import { GatewayError } from '../../events/errors.js';

/**
 * Why a delivery was not accepted as authentic. These errors are for the log: the caller only ever
 * gets a generic 401 (a 500 for `no_secret_configured`: our fault, not the caller's), so nothing here may
 * contain a secret or an expected signature.
 */
export type VerificationFailureReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'no_secret_configured';

/** Base class of every verification failure; `reason` is stable and safe to use as a metric dimension. */
export class WebhookVerificationError extends GatewayError<VerificationFailureReason> {
  override readonly name: string = 'WebhookVerificationError';
}

/** The header that carries the signature (or credentials) is absent or empty. */
export class MissingSignatureError extends WebhookVerificationError {
  override readonly name: string = 'MissingSignatureError';

  constructor(header: string, options?: ErrorOptions) {
    super('missing_signature', `Missing the "${header}" header`, options);
  }
}

/**
 * The header is there but cannot be a signature of this scheme at all: sent twice, or not the
 * expected structure (for example an `Authorization` header that is not `Basic`). A well-formed value
 * in the wrong encoding is a {@link SignatureMismatchError}, not this.
 */
export class MalformedSignatureError extends WebhookVerificationError {
  override readonly name: string = 'MalformedSignatureError';

  constructor(header: string, detail: string, options?: ErrorOptions) {
    super('malformed_signature', `Malformed "${header}" header: ${detail}`, options);
  }
}

/** No configured secret produces the signature received (this includes a signature in the wrong encoding). */
export class SignatureMismatchError extends WebhookVerificationError {
  override readonly name: string = 'SignatureMismatchError';

  constructor(header: string, options?: ErrorOptions) {
    super('signature_mismatch', `The "${header}" header matches none of the configured secrets`, options);
  }
}

/**
 * Fail closed: a provider with no configured secret rejects everything. The one model of "no secret", wherever
 * it is found: no usable secret in the list a verifier gets, or none set up at all (`fix` says what to set).
 */
export class NoSecretConfiguredError extends WebhookVerificationError {
  override readonly name: string = 'NoSecretConfiguredError';

  constructor(provider: string, options?: ErrorOptions & { readonly fix?: string }) {
    const fix = options?.fix ? ` (${options.fix})` : '';
    super('no_secret_configured', `No secret is configured for provider "${provider}"${fix}; rejecting`, options);
  }
}
