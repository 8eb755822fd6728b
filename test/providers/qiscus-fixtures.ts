/**
 * A factory for the comment payload both Qiscus providers receive (`post_comment_mobile`, `post_comment_rest`).
 * Samples, signatures and deliveries for every provider are in `test/support/provider-fixtures.ts`.
 */

export interface CommentOptions {
  readonly type?: string;
  readonly message?: Record<string, unknown>;
  readonly room?: Record<string, unknown>;
  readonly from?: Record<string, unknown>;
}

/**
 * A `post_comment_mobile` payload; override the message, room or sender to build a variant.
 *
 * @example commentPayloadFactory({ message: { type: 'file_attachment', payload: { url: 'https://cdn.example/a.png' } } })
 */
export function commentPayloadFactory(options: CommentOptions = {}): Record<string, unknown> {
  return {
    type: options.type ?? 'post_comment_mobile',
    payload: {
      from: { id: 0, id_str: '0', email: '6281234567890', name: 'Budi Santoso', ...options.from },
      room: { id: '178123456', id_str: '178123456', type: 'group', name: 'Budi Santoso', options: '{"source":"wa"}', ...options.room },
      message: { id: 0, id_str: '0', type: 'text', text: 'Halo', payload: null, ...options.message },
    },
  };
}
