/**
 * How every function of the gateway is bundled, defined once: `GatewayFunction` hands these options to CDK's
 * `NodejsFunction`, and the benchmarks (`npm run bench`) build the very same bundles with {@link buildGatewayBundle},
 * so a cold start measured on this machine is the cold start of what `cdk deploy` ships.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/**
 * ESM output cannot `require()`; some dependencies (and parts of the AWS SDK) still do. The banner gives the
 * bundle a `require` built with `createRequire`, under an alias so it cannot clash with a bundled binding.
 */
const esmRequireBanner =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

/**
 * What CDK marks external when the AWS SDK is left to the Lambda runtime (`bundleAwsSDK: false`) under the
 * `@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages` feature flag that `cdk.json` enables.
 */
export const runtimeProvidedSdkModules: readonly string[] = ['@aws-sdk/*', '@smithy/*'];

/**
 * The global `lib/receiver/aws.ts` reads to bundle Powertools Tracer into a receiver (`-c detailedTracing=true`),
 * replaced by esbuild's `define` with `true` or `false`. With `false` esbuild drops the branch that imports Tracer,
 * so the default receivers carry no X-Ray SDK (`test/infra/bundling.test.ts`).
 */
const detailedTracingDefine = 'GATEWAY_DETAILED_TRACING';

/** `NODE_OPTIONS` of every function: stack traces mapped back to the TypeScript through the source maps. */
export const gatewayNodeOptions = '--enable-source-maps';

/** The Node.js major version the functions run on (`nodejs24.x`); esbuild targets it. */
const gatewayNodeTarget = 'node24';

/**
 * The `NodejsFunction` bundling options of every function: the local esbuild (never Docker), minified ESM for
 * `nodejs24.x`, source maps without sources.
 *
 * @param bundleAwsSdk - bundle the AWS SDK v3 (true) or leave `@aws-sdk/*` and `@smithy/*` to the runtime's copy
 * @param detailedTracing - bundle Powertools Tracer into a receiver (the worker has it always)
 * @example new NodejsFunction(this, 'Function', { entry, bundling: gatewayBundlingOptions(true, false) });
 */
export function gatewayBundlingOptions(bundleAwsSdk: boolean, detailedTracing = false): BundlingOptions {
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
    define: { [detailedTracingDefine]: String(detailedTracing) },
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
export function gatewayEsbuildOptions(entry: string, outfile: string, bundleAwsSdk: boolean, detailedTracing = false): BuildOptions {
  const options = gatewayBundlingOptions(bundleAwsSdk, detailedTracing);
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
    ...(options.define ? { define: { ...options.define } } : {}),
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
 * @param detailedTracing - as `-c detailedTracing=true` builds a receiver: with Powertools Tracer
 * @example const { file, bytes } = await buildGatewayBundle(`${root}functions/qikchat.ts`, `${root}.bench-build/qikchat`, true);
 */
export async function buildGatewayBundle(entry: string, outdir: string, bundleAwsSdk: boolean, detailedTracing = false): Promise<GatewayBundle> {
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({ ...gatewayEsbuildOptions(entry, file, bundleAwsSdk, detailedTracing), metafile: true });
  return { file, bytes: (await stat(file)).size, metafile: result.metafile };
}
