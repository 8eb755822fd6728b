import type { Recognition, RecognitionContext, WebhookDelivery } from '../events/delivery.js';

/**
 * Everything the gateway knows about one provider. Adding a provider is one folder exporting one of
 * these and one line in `registry.ts`; the receivers, the local runtime and the CDK stack all read it.
 * What only development needs (local secret variable, development default, sample signer) is in
 * `dev/providers.ts`, so that no Lambda bundle carries it.
 */
export interface ProviderDefinition {
  /** URL-safe name: `/webhooks/<slug>`, `functions/<slug>.ts`, the event's `provider`. */
  readonly slug: string;
  /** Human name, for logs and docs. */
  readonly displayName: string;
  /** What the secret is, in the provider's words (`Qiscus Secret Key`, `user:password`...). */
  readonly secretDescription: string;
  /** URL kind hints this provider understands (`/webhooks/<slug>/<kind>`); others are ignored. */
  readonly kinds: readonly string[];
  /**
   * Checks the delivery's signature (or credentials) over the raw bytes against the accepted secrets.
   * @throws WebhookVerificationError (a subclass saying why) when the delivery is not authentic
   */
  verify(delivery: WebhookDelivery, secrets: readonly string[]): void;
  /**
   * Recognises a parsed JSON payload; undefined when it has no known shape. Pure; may throw on a bug only.
   * A number a double cannot hold faithfully (an integer past 2^53, `1e400`) arrives as its source text.
   */
  recognise(payload: unknown, context: RecognitionContext): Recognition | undefined;
}
