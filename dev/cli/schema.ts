/**
 * Writes the normalised event's JSON Schema to `lib/events/webhook-event.schema.json`.
 * Run after changing `lib/events/schema.ts`:  npm run schema
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEBHOOK_EVENT_JSON_SCHEMA_PATH, webhookEventJsonSchemaText } from '../json-schema.js';

const target = fileURLToPath(new URL(`../../${WEBHOOK_EVENT_JSON_SCHEMA_PATH}`, import.meta.url));
writeFileSync(target, webhookEventJsonSchemaText());
console.log(`Wrote ${WEBHOOK_EVENT_JSON_SCHEMA_PATH}`);
