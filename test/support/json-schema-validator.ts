import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The committed JSON Schema of the event, as a consumer in another language would read it. */
export function committedWebhookEventJsonSchema(): Record<string, unknown> {
  const file = new URL('../../lib/events/webhook-event.schema.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * A validator for the committed schema built with Ajv, a JSON Schema implementation independent of zod.
 * Strict mode is on, so a keyword Ajv does not know fails the compile instead of being ignored; union types
 * (`"type": ["number", "string", "null"]`) are valid JSON Schema and allowed.
 */
export function webhookEventValidator(schema = committedWebhookEventJsonSchema()): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
  addFormats.default(ajv, ['date-time']);
  return ajv.compile(schema);
}
