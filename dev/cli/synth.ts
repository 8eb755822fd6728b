/**
 * `npm run synth [-- <cdk synth arguments>]`: runs the pinned CDK CLI's `cdk synth -q` with the arguments given
 * (`-c key=value`, `-c config=<file>`, `-o <folder>`), then prints the summary of what it wrote to the cloud
 * assembly: the settings in effect and where each came from, the stack, its resources and outputs, and the policy
 * checks (`synth-summary.ts`). A synth that fails (a refused setting, a policy finding) ends with its exit code.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { summariseCloudAssembly } from './synth-summary.js';

/** The cloud assembly folder `-o`/`--output` names, else cdk.out. */
function outputFolder(args: readonly string[]): string {
  for (const [index, arg] of args.entries()) {
    if (arg === '-o' || arg === '--output') return args[index + 1] ?? 'cdk.out';
    const inline = /^(?:-o|--output)=(.+)$/.exec(arg);
    if (inline?.[1]) return inline[1];
  }
  return 'cdk.out';
}

const args = process.argv.slice(2);
// The CLI of package-lock.json, run by this Node: no global `cdk`, no `npx`, the same on every platform.
const cdk = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');
const synth = spawnSync(process.execPath, [cdk, 'synth', '-q', ...args], { stdio: 'inherit' });
if (synth.status !== 0) process.exit(synth.status ?? 1);
process.stdout.write(`${await summariseCloudAssembly(outputFolder(args))}\n`);
