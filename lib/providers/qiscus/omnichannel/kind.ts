import type { Recognition } from '../../../events/delivery.js';

/** One of the webhook kinds Qiscus Omnichannel posts, each to its own URL. */
export interface OmnichannelKind {
  /** The URL hint naming this kind: `/webhooks/qiscus-omnichannel/<hint>`. */
  readonly hint: string;
  /** Recognises this kind by the payload's shape; undefined when the shape does not fit. */
  recognise(payload: unknown): Recognition | undefined;
}
