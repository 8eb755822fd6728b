import { GatewayError } from '../events/errors.js';

/**
 * Thrown by a handler (or a destination) when trying again cannot help: a 4xx other than 408/429, a redirect, a URL
 * the address policy refuses, a record the target system rejects for good. The worker parks the event's
 * conversation at once, as if every attempt of the retry policy had failed; `npm run resume` runs it again.
 */
export class PermanentDeliveryError extends GatewayError<'permanent_failure'> {
  override readonly name: string = 'PermanentDeliveryError';

  constructor(message: string, options?: ErrorOptions) {
    super('permanent_failure', message, options);
  }
}

/** Whether an error says the event can never succeed as it is (see {@link PermanentDeliveryError}). */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PermanentDeliveryError;
}
