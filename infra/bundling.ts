/**
 * How every function of the gateway is bundled, defined once: `GatewayFunction` hands these options to CDK's
 * `NodejsFunction`. The benchmarks (`npm run bench`) load the bundles `cdk synth` stages with them.
 */
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * ESM output cannot `require()`; some dependencies (and parts of the AWS SDK) still do. The banner gives the
 * bundle a `require` built with `createRequire`, under an alias so it cannot clash with a bundled binding.
 */
const esmRequireBanner =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

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
