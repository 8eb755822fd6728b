/** Thrown when a setting cannot be used; the message is one line naming where it came from, the key and the fix. */
export class GatewayConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayConfigError';
  }
}
