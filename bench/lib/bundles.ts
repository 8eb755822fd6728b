/**
 * The bundles the benchmarks load: the ones `cdk synth` stages for the stack (every receiver and the worker,
 * read from the cloud assembly), in both ways of shipping the AWS SDK, and the bare baseline, which is not in
 * the stack and is bundled here with esbuild.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { repositoryRoot, scratchDirectory } from './paths.js';

/** How the AWS SDK ships: bundled and tree-shaken into each function, or left to the Lambda runtime's copy. */
export type SdkShipping = 'bundled' | 'runtime';
export const sdkShippings: readonly SdkShipping[] = ['bundled', 'runtime'];

/** The name of the baseline among the bundles. */
export const BASELINE = 'baseline';

/** One Lambda function of a synthesised stack, with the asset `cdk synth` staged for it. */
export interface StagedFunction {
  /** The entry point's name: a provider slug (`functions/<slug>.ts`) or `worker`. */
  readonly name: string;
  /** The staged `index.mjs`; its source map is beside it. */
  readonly file: string;
  /** Size of `index.mjs` in bytes (the source map, loaded only for a stack trace, not counted). */
  readonly bytes: number;
  /** `MemorySize` in the template, in MB. */
  readonly memorySize: number;
  /** `NODE_OPTIONS` the template sets in the function's environment. */
  readonly nodeOptions: string;
}

export interface BuiltBundle extends StagedFunction {
  readonly sdk: SdkShipping;
  /** Staged by `cdk synth -c detailedTracing=true`: a receiver with Powertools Tracer (SDK bundled only). */
  readonly detailedTracing: boolean;
}

interface TemplateFunction {
  readonly Type: string;
  readonly Metadata?: { readonly 'aws:asset:path'?: string };
  readonly Properties?: { readonly MemorySize?: number; readonly Environment?: { readonly Variables?: Record<string, unknown> } };
}

/** The entry point a bundle was built from, as its source map names it (`../../functions/qikchat.ts`). */
async function entryName(file: string): Promise<string | undefined> {
  const { sources } = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
  return sources.map((source) => /(?:^|\/)functions\/([\w-]+)\.ts$/.exec(source)?.[1]).find((name) => name !== undefined);
}

/** A synthesised template's resources, as `cdk synth` wrote them. */
export type TemplateResources = Readonly<Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>>;

/**
 * Runs `cdk synth` with the given context into `.bench-build/cdk/<label>` and returns the stack's functions, each
 * mapped to its staged asset through the template's `aws:asset:path` metadata.
 *
 * @example const functions = await synthesizeFunctions('default', {});
 */
async function synthesizeFunctions(label: string, context: Readonly<Record<string, string>>): Promise<StagedFunction[]> {
  return (await synthesizeStack(label, context)).functions;
}

/** {@link synthesizeFunctions}, with the template's resources beside them (what the cost command counts). */
export async function synthesizeStack(label: string, context: Readonly<Record<string, string>>): Promise<{ functions: StagedFunction[]; resources: TemplateResources }> {
  // Inside the repository, so that an SDK left to the runtime resolves from `node_modules` as Lambda finds its copy.
  const outdir = join(scratchDirectory, 'cdk', label);
  await rm(outdir, { recursive: true, force: true });
  const contextArgs = Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  await promisify(execFile)('npx', ['cdk', 'synth', '-q', '-o', outdir, ...contextArgs], { cwd: repositoryRoot, maxBuffer: 64 * 2 ** 20 });
  const templateFile = (await readdir(outdir)).find((name) => name.endsWith('.template.json'));
  if (!templateFile) throw new Error(`bench: cdk synth wrote no template to ${outdir}`);
  const { Resources } = JSON.parse(await readFile(join(outdir, templateFile), 'utf8')) as { Resources: Record<string, TemplateFunction> };
  const functions: StagedFunction[] = [];
  for (const [logicalId, resource] of Object.entries(Resources)) {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (resource.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
    const file = join(outdir, assetPath, 'index.mjs');
    const name = await entryName(file);
    if (!name) throw new Error(`bench: no functions/*.ts entry in the source map of ${logicalId}`);
    const nodeOptions = resource.Properties?.Environment?.Variables?.NODE_OPTIONS;
    functions.push({
      name,
      file,
      bytes: (await stat(file)).size,
      memorySize: resource.Properties?.MemorySize ?? 128,
      nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : '',
    });
  }
  return { functions, resources: Resources };
}

/**
 * Bundles the baseline (`bench/baseline/handler.ts`) with the receivers' esbuild settings as `infra/bundling.ts`
 * states them: minified ESM for node24 with a source map, the SDK bundled or left external.
 */
async function buildBaseline(sdk: SdkShipping, like: StagedFunction): Promise<BuiltBundle> {
  const file = join(scratchDirectory, 'bundles', sdk, BASELINE, 'index.mjs');
  await build({
    entryPoints: [join(repositoryRoot, 'bench/baseline/handler.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);" },
    external: sdk === 'bundled' ? [] : ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'warning',
  });
  // Measured under the receivers' memory and Node options, so that only the code differs.
  return { name: BASELINE, file, bytes: (await stat(file)).size, memorySize: like.memorySize, nodeOptions: like.nodeOptions, sdk, detailedTracing: false };
}

/**
 * The receivers `cdk synth` stages in both SDK shippings (default build) and once more with
 * `-c detailedTracing=true`, SDK bundled, to be reported beside the default; and the baseline in both shippings.
 */
export async function buildBenchBundles(): Promise<BuiltBundle[]> {
  await rm(join(scratchDirectory, 'bundles'), { recursive: true, force: true });
  const builds = [
    { label: 'bundled', sdk: 'bundled', detailedTracing: false, context: {} },
    { label: 'runtime', sdk: 'runtime', detailedTracing: false, context: { bundleAwsSdk: 'false' } },
    { label: 'bundled-detailed-tracing', sdk: 'bundled', detailedTracing: true, context: { detailedTracing: 'true' } },
  ] as const;
  const bundles: BuiltBundle[] = [];
  // One synth at a time: each bundles every function, and the machine is shared.
  for (const { label, sdk, detailedTracing, context } of builds) {
    const receivers = (await synthesizeFunctions(label, context)).filter(({ name }) => name !== 'worker');
    bundles.push(...receivers.map((receiver) => ({ ...receiver, sdk, detailedTracing })));
    const [first] = receivers;
    if (!first) throw new Error(`bench: cdk synth (${label}) staged no receiver`);
    if (!detailedTracing) bundles.push(await buildBaseline(sdk, first));
  }
  return bundles;
}

/** Where a bundle's code came from: the npm package, or the project folder. */
function originOf(source: string): string {
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (npm?.[1]) return npm[1];
  return source.replace(/^(?:\.\.\/)+/, '').split('/').slice(0, 2).join('/');
}

/**
 * Bytes in a bundle by origin (`zod`, `@smithy/core`, `lib/receiver`...), largest first, read from its source
 * map: each generated character counts for the source of the mapping that covers it.
 */
export async function compositionOf(bundle: Pick<BuiltBundle, 'file'>): Promise<{ from: string; bytes: number }[]> {
  const map = new SourceMap(JSON.parse(await readFile(`${bundle.file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const lines = (await readFile(bundle.file, 'utf8')).split('\n');
  const totals = new Map<string, number>();
  for (const [lineNumber, line] of lines.entries()) {
    for (let column = 0; column < line.length; column++) {
      const entry = map.findEntry(lineNumber, column) as { originalSource?: string };
      const from = entry.originalSource ? originOf(entry.originalSource) : '(unmapped)';
      totals.set(from, (totals.get(from) ?? 0) + 1);
    }
  }
  return [...totals].map(([from, bytes]) => ({ from, bytes })).sort((a, b) => b.bytes - a.bytes);
}
