import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayBundle, gatewayEsbuildOptions, type GatewayBundle, runtimeProvidedSdkModules } from '../../infra/bundling.js';
import { GatewayFunction, projectRoot } from '../../infra/constructs/GatewayFunction.js';
import { cdkJson } from './synth.js';

/** The `index.mjs` that `cdk synth` stages for one GatewayFunction bundled with or without the SDK. */
function cdkBundle(entry: string, bundleAwsSdk: boolean): string {
  const app = new App({ context: cdkJson.context });
  const stack = new Stack(app, 'BundlingProbe');
  const logs = { logLevel: 'INFO', logRetention: RetentionDays.ONE_MONTH, logEncryptionKey: new Key(stack, 'Logs') } as const;
  new GatewayFunction(stack, 'Probe', { entry, description: 'probe', timeout: Duration.seconds(5), memorySize: 1024, bundleAwsSdk, ...logs });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key: string } } }[];
  const asset = `asset.${fn?.Properties.Code.S3Key.replace(/\.zip$/, '')}`;
  return readFileSync(join(app.synth().directory, asset, 'index.mjs'), 'utf8');
}

describe('buildGatewayBundle (the benchmarks build what the stack ships)', () => {
  let outdir: string;
  beforeAll(async () => {
    // The folder is git-ignored, so a fresh clone does not have it yet.
    await mkdir(join(projectRoot, '.bench-build'), { recursive: true });
    outdir = await mkdtemp(join(projectRoot, '.bench-build', 'test-'));
  });
  afterAll(() => rm(outdir, { recursive: true, force: true }));

  it.each([true, false])('produces byte for byte the bundle CDK stages (bundleAwsSdk: %s)', async (bundleAwsSdk) => {
    // Prepare
    const entry = 'functions/qikchat.ts';
    const expected = cdkBundle(entry, bundleAwsSdk);

    // Act
    const bundle = await buildGatewayBundle(join(projectRoot, entry), join(outdir, String(bundleAwsSdk)), bundleAwsSdk);

    // Assess
    expect(readFileSync(bundle.file, 'utf8')).toBe(expected);
    expect(bundle.bytes).toBe(Buffer.byteLength(expected));
  });

  it('leaves exactly the SDK packages to the runtime when the SDK is not bundled', () => {
    // Act
    const external = gatewayEsbuildOptions('entry.ts', join(tmpdir(), 'index.mjs'), false).external;
    const bundled = gatewayEsbuildOptions('entry.ts', join(tmpdir(), 'index.mjs'), true).external;

    // Assess
    expect(external).toEqual(['@aws-sdk/*', '@smithy/*']);
    expect(external).toEqual(runtimeProvidedSdkModules);
    expect(bundled).toEqual([]);
  });
});

describe('module aliases (cls-hooked/context and semver replaced in every bundle)', () => {
  let outdir: string;
  beforeAll(async () => {
    await mkdir(join(projectRoot, '.bench-build'), { recursive: true });
    outdir = await mkdtemp(join(projectRoot, '.bench-build', 'test-aliases-'));
  });
  afterAll(() => rm(outdir, { recursive: true, force: true }));

  // esbuild names the metafile's inputs relative to its working directory (the project root under vitest).
  const input = (file: string) => relative(process.cwd(), join(projectRoot, file));
  const contextShim = input('lib/observability/xray-context.ts');
  const semverShim = input('lib/observability/semver-gte.ts');

  /** The inputs of a bundle that import `target`, whatever specifier they used. */
  function importersOf(bundle: GatewayBundle, target: string): string[] {
    return Object.entries(bundle.metafile.inputs)
      .filter(([, meta]) => meta.imports.some((imported) => imported.path === target))
      .map(([file]) => file);
  }

  // A receiver and the worker: the two kinds of function, each with Powertools Tracer and the X-Ray SDK.
  it.each(['functions/qiscus-omnichannel.ts', 'functions/worker.ts'])('bundles the shims instead of cls-hooked and semver: %s', async (entry) => {
    // Prepare
    const outName = entry.replace(/^functions\/|\.ts$/g, '');

    // Act
    const bundle = await buildGatewayBundle(join(projectRoot, entry), join(outdir, outName), true);

    // Assess
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((file) => file.includes('node_modules/cls-hooked/'))).toEqual([]);
    expect(inputs.filter((file) => file.includes('node_modules/semver/'))).toEqual([]);
    expect(inputs).toContain(contextShim);
    expect(inputs).toContain(semverShim);
    // The reduced semver (`gte` of plain versions only) must meet no caller but the X-Ray SDK, and neither must
    // the context shim: another package importing either would get a module it was not written for.
    const semverImporters = importersOf(bundle, semverShim);
    expect(semverImporters.length).toBeGreaterThan(0);
    expect(semverImporters.filter((file) => !file.startsWith('node_modules/aws-xray-sdk-core/'))).toEqual([]);
    const contextImporters = importersOf(bundle, contextShim);
    expect(contextImporters.length).toBeGreaterThan(0);
    expect(contextImporters.filter((file) => !file.startsWith('node_modules/aws-xray-sdk-core/'))).toEqual([]);
  });
});
