/**
 * The JSON Schema of the settings file, generated from the settings' zod schema (`config.ts`) and committed as
 * `gateway.config.schema.json`, so that editors complete and check `gateway.config.json` (its `"$schema"` names
 * it). `npm run schema` rewrites it; a test fails when the committed copy differs from what this module generates.
 *
 * Run directly (`tsx infra/config-json-schema.ts`), it writes the file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { providers } from '../lib/providers/registry.js';
import { defaultGatewayConfig, gatewayConfigSchema, settingKeys } from './config.js';
import { GATEWAY_CONFIG_FILE, GATEWAY_CONFIG_SCHEMA_FILE } from './config-file.js';

type JsonSchema = Record<string, unknown>;

/** Settings that are text or nothing: the file may hold `""` for nothing, as `-c key=` may. */
const optionalTextKeys = ['alarmEmail', 'domainName', 'certificateArn', 'hostedZoneId', 'hostedZoneName'];

/**
 * The file's JSON Schema (draft-07, which every common editor reads): the zod schema's input side, written the way
 * the file holds values (booleans and numbers as JSON, not the strings `-c` passes), provider slugs named, the
 * defaults shown, and no key but the settings and `$schema`.
 *
 * @param providerSlugs - the providers' slugs @default the registry's
 */
export function gatewayConfigJsonSchema(providerSlugs: readonly string[] = providers.map((provider) => provider.slug)): JsonSchema {
  const generated = z.toJSONSchema(gatewayConfigSchema(providerSlugs), { target: 'draft-7', io: 'input', unrepresentable: 'throw' });
  const generatedProperties = generated.properties as Record<string, JsonSchema>;
  const slug = { enum: [...providerSlugs] };
  const minutes = { type: 'integer', anyOf: [{ const: 0 }, { minimum: 5, maximum: 1440 }] };
  const properties: Record<string, JsonSchema> = { $schema: { description: `The JSON Schema of this file: ./${GATEWAY_CONFIG_SCHEMA_FILE}`, type: 'string' } };
  for (const key of settingKeys) {
    const { description, default: _zodDefault, ...shape } = generatedProperties[key] ?? {};
    const isBoolean = JSON.stringify(shape.anyOf ?? []).includes('"type":"boolean"');
    let property: JsonSchema = isBoolean ? { type: 'boolean' } : shape;
    if (key === 'secretArns') property = { ...shape, propertyNames: slug };
    if (key === 'signatureVerificationDisabled') property = { type: 'array', items: slug, uniqueItems: true };
    if (key === 'silenceAlarmMinutes') property = { anyOf: [minutes, { type: 'object', propertyNames: slug, additionalProperties: minutes }] };
    if (optionalTextKeys.includes(key)) property = { anyOf: [shape, { const: '' }] };
    const value = defaultGatewayConfig[key];
    properties[key] = { description, ...(value === undefined ? {} : { default: value }), ...property };
  }
  return {
    $schema: generated.$schema,
    title: 'chat-webhook-gateway settings',
    description:
      `The deployment's settings (${GATEWAY_CONFIG_FILE}, or the file -c config=<file> names); -c key=value overrides one of them. ` +
      'Generated from infra/config.ts by npm run schema.',
    type: 'object',
    properties,
    additionalProperties: false,
    // Checked at synth too, with the reason; here so that an editor points at the missing key.
    dependencies: { certificateArn: ['domainName'], hostedZoneId: ['domainName', 'hostedZoneName'], hostedZoneName: ['hostedZoneId'] },
  };
}

/** The committed file's exact contents: two-space indents and a trailing newline. */
export function gatewayConfigJsonSchemaText(): string {
  return `${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(fileURLToPath(new URL(`../${GATEWAY_CONFIG_SCHEMA_FILE}`, import.meta.url)), gatewayConfigJsonSchemaText());
  console.log(`Wrote ${GATEWAY_CONFIG_SCHEMA_FILE}`);
}
