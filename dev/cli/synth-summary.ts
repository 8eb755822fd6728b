/**
 * `npm run synth`: after `cdk synth -q` has written the template to cdk.out/, prints what a person wants to see of
 * it: the settings in effect and where each came from, the stack, its resources by type, its outputs and the
 * policy checks' result, instead of the whole template.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}
interface Manifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly properties?: { readonly templateFile?: string };
      readonly metadata?: Record<string, readonly MetadataEntry[]>;
      readonly additionalMetadataFile?: string;
    }
  >;
}
/** What the app records of its settings (`infra/settings-metadata.ts`, metadata type {@link SETTINGS_METADATA_TYPE}). */
interface RecordedSettings {
  readonly file: string | null;
  readonly settings: readonly { readonly key: string; readonly value?: unknown; readonly source: 'default' | 'file' | 'context' }[];
}
interface Template {
  readonly Resources?: Record<string, { readonly Type: string }>;
  readonly Outputs?: Record<string, unknown>;
}
interface ValidationReport {
  readonly pluginReports?: readonly { readonly pluginName: string; readonly conclusion: string; readonly violations?: readonly unknown[]; readonly suppressedViolations?: readonly unknown[] }[];
}

/** The metadata type under which the app records its settings (`infra/settings-metadata.ts`). */
const SETTINGS_METADATA_TYPE = 'chat-webhook-gateway:settings';
/** Where a setting came from, as the operator set it. */
const sourceLabels = { default: 'default', file: 'file', context: '-c' } as const;

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

/** The settings section: each setting, its value and where it came from, one line each. */
function settingsLines(recorded: RecordedSettings): string[] {
  const width = Math.max(...recorded.settings.map((setting) => setting.key.length));
  const shown = recorded.settings.map(({ key, value, source }) => ({ key, value: value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value), source }));
  const valueWidth = Math.min(40, Math.max(...shown.map((setting) => setting.value.length)));
  return [
    `Settings (${recorded.file ?? 'no settings file'}; -c key=value overrides one; docs/deploying.md › Settings):`,
    ...shown.map(({ key, value, source }) => `  ${key.padEnd(width)}  ${value.padEnd(valueWidth)}  ${sourceLabels[source]}`),
    '',
  ];
}
const plural = (count: number, word: string) => `${String(count)} ${word}${count === 1 ? '' : 's'}`;

/**
 * The summary of the cloud assembly in `folder` (cdk.out), as lines of text.
 *
 * @example console.log(await summariseCloudAssembly('cdk.out'));
 */
export async function summariseCloudAssembly(folder: string): Promise<string> {
  const manifest = await readJson<Manifest>(join(folder, 'manifest.json'));
  const lines: string[] = [];
  for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const metadata = artifact.additionalMetadataFile ? await readJson<Record<string, readonly MetadataEntry[]>>(join(folder, artifact.additionalMetadataFile)) : (artifact.metadata ?? {});
    const recorded = Object.values(metadata)
      .flat()
      .find((entry) => entry.type === SETTINGS_METADATA_TYPE);
    if (recorded) lines.push(...settingsLines(recorded.data as RecordedSettings));
    const templatePath = join(folder, artifact.properties.templateFile);
    const template = await readJson<Template>(templatePath);
    const types = new Map<string, number>();
    for (const resource of Object.values(template.Resources ?? {})) types.set(resource.Type, (types.get(resource.Type) ?? 0) + 1);
    const resources = [...types.values()].reduce((sum, count) => sum + count, 0);
    lines.push(`Stack ${name}: ${plural(resources, 'resource')}, ${plural(Object.keys(template.Outputs ?? {}).length, 'output')} (template: ${templatePath})`);
    for (const [type, count] of [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`  ${String(count).padStart(4)}  ${type}`);
  }
  const report = await readJson<ValidationReport>(join(folder, 'validation-report.json')).catch(() => undefined);
  lines.push('', 'Policy checks (an unacknowledged finding stops the synth): passed');
  lines.push('  cdk-nag AwsSolutions: no unacknowledged finding');
  for (const plugin of report?.pluginReports ?? []) {
    const acknowledged = plugin.suppressedViolations?.length ?? 0;
    lines.push(`  ${plugin.pluginName}: ${plugin.conclusion}, ${plural(plugin.violations?.length ?? 0, 'finding')}, ${String(acknowledged)} acknowledged (docs/deploying.md › Policy checks)`);
  }
  // Left out where its plugin has no cfn-guard binary (native Windows); the app warned.
  if (!report?.pluginReports?.some((plugin) => plugin.pluginName === 'cdk-validator-cfnguard')) {
    lines.push('  cdk-validator-cfnguard: not run on this machine (no cfn-guard binary for it): run the synth in WSL to check the Control Tower rules');
  }
  return lines.join('\n');
}
