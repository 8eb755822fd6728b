/**
 * Base of the gateway's errors: a stable, metric-safe `reason`, a message for the log, and the original error
 * as `cause`. Subclasses set `name` as a field: bundles are minified, so a class's own name is not kept.
 */
export class GatewayError<Reason extends string = string> extends Error {
  override readonly name: string = 'GatewayError';
  readonly reason: Reason;

  constructor(reason: Reason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
