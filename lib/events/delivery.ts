import type { EventData, EventType } from './schema.js';

/** Request headers as the receivers see them: any case, possibly several values joined or in an array. */
export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

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
    /** When it happened, as the payload says (an ISO 8601 string, epoch seconds or milliseconds). */
    readonly time?: unknown;
  };
}[EventType];

export interface RecognitionContext {
  readonly kindHint?: string | undefined;
}
