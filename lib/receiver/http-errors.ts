/**
 * The answers a receiver gives besides 200. Each carries its status and the only text a caller ever
 * sees: a generic phrase. What went wrong in detail travels as `cause`, to the log only.
 */
export class GatewayHttpError extends Error {
  readonly statusCode: number;
  /** Stable, metric-safe name of why the delivery was not accepted. */
  readonly reason: string;

  constructor(statusCode: number, reason: string, publicMessage: string, options?: ErrorOptions) {
    super(publicMessage, options);
    this.name = 'GatewayHttpError';
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/** 401: any authentication failure; the verification error (missing, malformed, mismatch) is the cause. */
export class UnauthorizedError extends GatewayHttpError {
  constructor(reason: string, options?: ErrorOptions) {
    super(401, reason, 'Unauthorized', options);
    this.name = 'UnauthorizedError';
  }
}

/** 404: no provider behind this path. */
export class NotFoundError extends GatewayHttpError {
  constructor(options?: ErrorOptions) {
    super(404, 'not_found', 'Not Found', options);
    this.name = 'NotFoundError';
  }
}

/** 405: webhooks are POSTed. */
export class MethodNotAllowedError extends GatewayHttpError {
  constructor(options?: ErrorOptions) {
    super(405, 'method_not_allowed', 'Method Not Allowed', options);
    this.name = 'MethodNotAllowedError';
  }
}

/** 413: the body, or the event made of it, is larger than the queue's message limit. */
export class PayloadTooLargeError extends GatewayHttpError {
  constructor(options?: ErrorOptions) {
    super(413, 'payload_too_large', 'Payload Too Large', options);
    this.name = 'PayloadTooLargeError';
  }
}

/** 503: the event could not be queued; the provider should retry. */
export class ServiceUnavailableError extends GatewayHttpError {
  constructor(options?: ErrorOptions) {
    super(503, 'enqueue_failed', 'Service Unavailable', options);
    this.name = 'ServiceUnavailableError';
  }
}

/** 500: the receiver is misconfigured (no queue, no readable secret); fixing the configuration fixes it. */
export class MisconfigurationError extends GatewayHttpError {
  constructor(reason: string, options?: ErrorOptions) {
    super(500, reason, 'Internal Server Error', options);
    this.name = 'MisconfigurationError';
  }
}
