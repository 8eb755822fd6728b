/**
 * How every function of the gateway is bundled, defined once: `GatewayFunction` hands these options to CDK's
 * `NodejsFunction`, and the benchmarks (`npm run bench`) build the very same bundles with {@link buildGatewayBundle},
 * so a cold start measured on this machine is the cold start of what `cdk deploy` ships.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/**
 * ESM output cannot `require()`; some dependencies (and parts of the AWS SDK) still do. The banner gives the
 * bundle a `require` built with `createRequire`, under an alias so it cannot clash with a bundled binding.
 */
export const esmRequireBanner =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

/**
 * What CDK marks external when the AWS SDK is left to the Lambda runtime (`bundleAwsSDK: false`) under the
 * `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` feature flag that `cdk.json` enables.
 */
export const runtimeProvidedSdkModules: readonly string[] = ['@aws-sdk/*', '@smithy/*'];

/**
 * Dependencies of the AWS X-Ray SDK (under Powertools Tracer) that every bundle replaces with a module of ours,
 * as esbuild `alias` entries (module to absolute file), for what they cost every cold start and every request
 * (measured in BENCHMARKS.md):
 * - `cls-hooked/context` by `lib/observability/xray-context.ts`, the same context API on `AsyncLocalStorage`,
 *   without the process-wide `async_hooks` hook `cls-hooked` installs at import;
 * - `semver` by `lib/observability/semver-gte.ts`, the one function the SDK calls of it.
 * `test/infra/bundling.test.ts` checks what imports them, `test/observability/tracing.test.ts` the trace a
 * bundle sends.
 */
export const gatewayModuleAliases: Readonly<Record<string, string>> = {
  'cls-hooked/context': fileURLToPath(new URL('../lib/observability/xray-context.ts', import.meta.url)),
  semver: fileURLToPath(new URL('../lib/observability/semver-gte.ts', import.meta.url)),
};

/** `NODE_OPTIONS` of every function: stack traces mapped back to the TypeScript through the source maps. */
export const gatewayNodeOptions = '--enable-source-maps';

/** The Node.js major version the functions run on (`nodejs24.x`); esbuild targets it. */
export const gatewayNodeTarget = 'node24';

/**
 * The `NodejsFunction` bundling options of every function: the local esbuild (never Docker), minified ESM for
 * `nodejs24.x`, source maps without sources.
 *
 * @param bundleAwsSdk - bundle the AWS SDK v3 (true) or leave `@aws-sdk/*` and `@smithy/*` to the runtime's copy
 * @example new NodejsFunction(this, 'Function', { entry, bundling: gatewayBundlingOptions(true) });
 */
export function gatewayBundlingOptions(bundleAwsSdk: boolean): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: gatewayNodeTarget,
    // Prefer the ESM builds of dependencies: smaller bundles, better tree shaking.
    mainFields: ['module', 'main'],
    banner: esmRequireBanner,
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    // Stack traces need the mappings only; leaving out the sources keeps the archive small.
    sourcesContent: false,
    // Left to the runtime, CDK marks `@aws-sdk/*` and `@smithy/*` external by itself.
    bundleAwsSDK: bundleAwsSdk,
    esbuildArgs: Object.fromEntries(Object.entries(gatewayModuleAliases).map(([module, file]) => [`--alias:${module}`, file])),
  };
}

/**
 * The esbuild options CDK derives from {@link gatewayBundlingOptions} for one entry point: the same flags, in
 * esbuild's JavaScript API, as `NodejsFunction` passes on its command line (`--bundle --platform=node
 * --format=esm --target=node24 --minify --sourcemap --sources-content=false --banner:js=... --main-fields=...`,
 * plus `--external:` for a runtime-provided SDK). `test/infra/bundling.test.ts` checks that the output is
 * byte for byte the asset `cdk synth` stages.
 *
 * @param entry - absolute path of the entry point (`functions/qikchat.ts`)
 * @param outfile - where the bundle goes; CDK names it `index.mjs`
 */
export function gatewayEsbuildOptions(entry: string, outfile: string, bundleAwsSdk: boolean): BuildOptions {
  const options = gatewayBundlingOptions(bundleAwsSdk);
  return {
    entryPoints: [entry],
    bundle: true,
    outfile,
    platform: 'node',
    format: options.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: options.target ?? gatewayNodeTarget,
    minify: options.minify ?? false,
    sourcemap: options.sourceMap ?? false,
    sourcesContent: options.sourcesContent ?? true,
    external: options.bundleAwsSDK ? [] : [...runtimeProvidedSdkModules],
    ...(options.banner ? { banner: { js: options.banner } } : {}),
    ...(options.mainFields ? { mainFields: [...options.mainFields] } : {}),
    alias: { ...gatewayModuleAliases },
    logLevel: 'warning',
  };
}

/** One function bundled as the stack bundles it. */
export interface GatewayBundle {
  /** The bundle, `<outdir>/index.mjs`; its source map is beside it. */
  readonly file: string;
  /** Size of `index.mjs` in bytes (the source map, loaded only for a stack trace, not counted). */
  readonly bytes: number;
  /** esbuild's account of what went into it, for a look at its composition. */
  readonly metafile: Metafile;
}

/**
 * Bundles one entry point exactly as `GatewayFunction` does, into `<outdir>/index.mjs`.
 *
 * @param entry - absolute path of the entry point
 * @param outdir - output folder; put it inside the repository when `bundleAwsSdk` is false, so that Node finds
 *   the external SDK in `node_modules` as Lambda finds the runtime's copy
 * @example const { file, bytes } = await buildGatewayBundle(`${root}functions/qikchat.ts`, `${root}.bench-build/qikchat`, true);
 */
export async function buildGatewayBundle(entry: string, outdir: string, bundleAwsSdk: boolean): Promise<GatewayBundle> {
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({ ...gatewayEsbuildOptions(entry, file, bundleAwsSdk), metafile: true });
  return { file, bytes: (await stat(file)).size, metafile: result.metafile };
}
