/**
 * Bot webhook: a message from a customer (`post_comment_mobile`) or posted through the REST API
 * (`post_comment_rest`). The same payload as the Chat SDK's webhook, so the shared recognition serves both.
 */
import { QiscusPostCommentSchema, recognisePostComment } from '../../shared/index.js';
import type { OmnichannelKind } from '../kind.js';

/** The bot webhook payload: the shared Qiscus comment event. */
export const BotWebhookSchema = QiscusPostCommentSchema;

/** Bot webhook → `message.received`. */
export const botWebhookKind: OmnichannelKind = {
  hint: 'bot',
  recognise: recognisePostComment,
};
