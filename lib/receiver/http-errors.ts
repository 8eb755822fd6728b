import { GatewayError } from '../events/errors.js';
import type { EnqueueError, MessageTooLargeError } from '../queue/enqueue.js';
import type { SecretConfigurationError } from '../secrets/secrets-manager.js';
import type { VerificationFailureReason } from '../providers/kit/errors.js';

/**
 * Every reason a delivery is answered something other than 200: the `reason` of its log line, and of the
 * `WebhooksRejected` metric's `reason` dimension for a 401.
 */
export type AnswerReason =
  | VerificationFailureReason
  | 'not_found'
  | 'method_not_allowed'
  | MessageTooLargeError['reason']
  | SecretConfigurationError['reason']
  | 'queue_not_configured'
  | EnqueueError['reason']
  | 'internal_error';

/** The status each reason is answered with: one place, checked by the compiler to cover every reason. */
const ANSWER_STATUS = {
  missing_signature: 401,
  malformed_signature: 401,
  signature_mismatch: 401,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  // No secret, or none readable, is our configuration's fault, not the caller's: 500, so the provider retries.
  no_secret_configured: 500,
  secret_unavailable: 500,
  queue_not_configured: 500,
  internal_error: 500,
  enqueue_failed: 503,
} as const satisfies Record<AnswerReason, number>;

export type ErrorStatus = (typeof ANSWER_STATUS)[AnswerReason];

/** The only text a caller ever sees besides `{"status":"accepted"}`: a generic phrase per status. */
const PUBLIC_MESSAGE: Record<ErrorStatus, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An answer a receiver gives besides 200: its status follows from the reason, its message is the public
 * phrase of that status. What went wrong in detail travels as `cause`, to the log only.
 */
export class GatewayHttpError extends GatewayError<AnswerReason> {
  override readonly name: string = 'GatewayHttpError';
  readonly statusCode: ErrorStatus;

  constructor(reason: AnswerReason, options?: ErrorOptions) {
    const statusCode = ANSWER_STATUS[reason];
    super(reason, PUBLIC_MESSAGE[statusCode], options);
    this.statusCode = statusCode;
  }
}
