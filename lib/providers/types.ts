import type { EventData, EventType } from '../events/schema.js';
import type { Headers } from '../verification/headers.js';

/** One HTTP delivery from a provider, as the receiver got it. */
export interface WebhookDelivery {
  /** The body's bytes exactly as received (after undoing API Gateway's base64, if any). */
  readonly rawBody: Uint8Array;
  /** Request headers; names in any case. */
  readonly headers: Headers;
  /** The optional last path segment: `/webhooks/<provider>/<kind>`. Advisory; the payload's shape decides. */
  readonly kindHint?: string | undefined;
  /** When the gateway received the delivery; the event's `time` when the payload carries none. */
  readonly receivedAt: Date;
}

/**
 * The provider's own identity of an event: a fixed word naming the id's form, one per kind of event
 * (`in`, `status`, `message`...), then the parts that identify it, as sent (free text; numbers as their
 * source text). The event builder escapes the parts, so that forms and parts never run into each other.
 * `sha256`, `bytes-sha256` and `id-sha256` are the hashed forms' words: no own form may use them.
 *
 * @example ['status', 'wamid.HBgM', 'read'] // → qikchat:status:wamid.HBgM:read
 */
export type OwnEventId = readonly [form: string, ...parts: string[]];

/**
 * What a provider recognised in a payload: the event's type and data, and its own id and time if it has
 * them. `data.raw` is not the recogniser's to set: the normaliser puts the body there, every number exact.
 */
export type Recognition = {
  [T in EventType]: {
    readonly type: T;
    readonly data: Omit<EventData<T>, 'raw'>;
    /** The provider's own id when it identifies this event uniquely; otherwise the content's SHA-256 is used. */
    readonly id?: OwnEventId | undefined;
    /** When it happened, as the payload says (any form {@link asIsoTime} reads). */
    readonly time?: unknown;
  };
}[EventType];

export interface RecognitionContext {
  readonly kindHint?: string | undefined;
}

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
