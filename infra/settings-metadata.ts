/**
 * The settings in effect, recorded in the cloud assembly (`cdk.out/manifest.json`, as metadata of the stack) for
 * `npm run synth` to print: tools read what `cdk synth` wrote instead of importing the app.
 */
import type { Stack } from 'aws-cdk-lib';
import { settingKeys, type GatewaySettings, type SettingSource } from './config.js';

/** The metadata type; `dev/cli/synth-summary.ts` reads entries of this type. */
export const SETTINGS_METADATA_TYPE = 'chat-webhook-gateway:settings';

/** What the metadata entry holds. */
export interface RecordedSettings {
  /** The settings file read, as named; null when there was none. */
  readonly file: string | null;
  /** Every setting in the schema's order; `value` is absent when unset. */
  readonly settings: readonly { readonly key: string; readonly value?: unknown; readonly source: SettingSource }[];
}

/**
 * Adds the settings in effect to the stack's metadata.
 *
 * @param stack - the gateway stack
 * @param settings - what `readGatewaySettings` read
 */
export function recordSettings(stack: Stack, settings: GatewaySettings): void {
  const recorded: RecordedSettings = {
    file: settings.file ?? null,
    settings: settingKeys.map((key) => ({ key, value: settings.config[key], source: settings.sources[key] })),
  };
  stack.node.addMetadata(SETTINGS_METADATA_TYPE, recorded);
}
