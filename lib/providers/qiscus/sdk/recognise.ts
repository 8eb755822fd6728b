import type { Recognition } from '../../../events/delivery.js';
import { recognisePostComment } from '../shared/index.js';

/**
 * Recognises a Qiscus Chat SDK delivery: every message posted, from a client (`post_comment_mobile`) or through
 * the server API (`post_comment_rest`), as `message.received`. The payload is the family's comment event (the
 * Omnichannel bot webhook sends the same), so its schema and reading are in `../shared/`. Public channels leave
 * the room's participants out; nothing here needs them.
 *
 * @param payload - the parsed body
 * @returns the recognition, or undefined when the payload is not a comment event
 */
export function recogniseQiscusSdk(payload: unknown): Recognition | undefined {
  return recognisePostComment(payload);
}
