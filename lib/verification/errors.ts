/**
 * Why a delivery was not accepted as authentic. These errors are for the log: the caller only ever
 * gets a generic 401, so nothing here may contain a secret or an expected signature.
 */
export type VerificationFailureReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'no_secret_configured';

/** Base class of every verification failure; `reason` is stable and safe to use as a metric dimension. */
export class WebhookVerificationError extends Error {
  readonly reason: VerificationFailureReason;

  constructor(reason: VerificationFailureReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

/** The header that carries the signature (or credentials) is absent or empty. */
export class MissingSignatureError extends WebhookVerificationError {
  constructor(header: string, options?: ErrorOptions) {
    super('missing_signature', `Missing the "${header}" header`, options);
    this.name = 'MissingSignatureError';
  }
}

/**
 * The header is there but cannot be a signature of this scheme at all: sent twice, or not the
 * expected structure (for example an `Authorization` header that is not `Basic`). A well-formed value
 * in the wrong encoding is a {@link SignatureMismatchError}, not this.
 */
export class MalformedSignatureError extends WebhookVerificationError {
  constructor(header: string, detail: string, options?: ErrorOptions) {
    super('malformed_signature', `Malformed "${header}" header: ${detail}`, options);
    this.name = 'MalformedSignatureError';
  }
}

/** No configured secret produces the signature received (this includes a signature in the wrong encoding). */
export class SignatureMismatchError extends WebhookVerificationError {
  constructor(header: string, options?: ErrorOptions) {
    super('signature_mismatch', `The "${header}" header matches none of the configured secrets`, options);
    this.name = 'SignatureMismatchError';
  }
}

/** Fail closed: a provider with no configured secret rejects everything. */
export class NoSecretConfiguredError extends WebhookVerificationError {
  constructor(provider: string, options?: ErrorOptions) {
    super('no_secret_configured', `No secret is configured for provider "${provider}"; rejecting`, options);
    this.name = 'NoSecretConfiguredError';
  }
}
