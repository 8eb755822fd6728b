/**
 * The JSON Schema of the normalised event, for consumers in other languages. It is generated from
 * {@link WebhookEventSchema} and committed as `lib/events/webhook-event.schema.json`; `npm run schema`
 * rewrites the file, and a test fails when the committed copy differs from what this module generates.
 */
import * as z from 'zod';
import { WebhookEventSchema } from '../lib/events/schema.js';

/** Where the generated schema is committed, relative to the repository root. */
export const WEBHOOK_EVENT_JSON_SCHEMA_PATH = 'lib/events/webhook-event.schema.json';

/** The schema's `$id`: a URN, since the schema is not published at any URL. */
export const WEBHOOK_EVENT_JSON_SCHEMA_ID = 'urn:chat-webhook-gateway:schema:webhook-event';

/**
 * The event's JSON Schema (draft 2020-12), describing the events the gateway emits.
 *
 * `io: 'output'` describes what the gateway sends, not what zod would accept: every key is required
 * (`data.raw` included, though it may hold any JSON value) and objects are closed
 * (`additionalProperties: false`). Unrepresentable zod types throw rather than being silently widened.
 *
 * @example
 * const schema = webhookEventJsonSchema();
 * schema.$id // 'urn:chat-webhook-gateway:schema:webhook-event'
 */
export function webhookEventJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(WebhookEventSchema, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'throw',
  });
  const { $schema, ...rest } = generated;
  // Key order puts the identification first, so the file reads from the top.
  return {
    $schema,
    $id: WEBHOOK_EVENT_JSON_SCHEMA_ID,
    title: 'WebhookEvent',
    description:
      'One chat-provider webhook delivery, verified and normalised into a CloudEvents 1.0 event (structured ' +
      'JSON mode). `type` tells the variant; `data.raw` keeps the provider payload as received (parsed JSON, ' +
      'or the body text, or its bytes in base64 when `data.rawEncoding` is "base64"). A number in `data.raw` ' +
      'that a double cannot hold (an integer past 2^53, 1e400) is written with the digits it was sent with: ' +
      'read it with a JSON parser that keeps big numbers if they matter.',
    ...rest,
  };
}

/**
 * The committed file's exact contents: the schema as pretty-printed JSON (two-space indent) with a
 * trailing newline.
 */
export function webhookEventJsonSchemaText(): string {
  return `${JSON.stringify(webhookEventJsonSchema(), null, 2)}\n`;
}
