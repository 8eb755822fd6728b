import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayBundle, gatewayEsbuildOptions, runtimeProvidedSdkModules } from '../../infra/bundling.js';
import { GatewayFunction, projectRoot } from '../../infra/constructs/GatewayFunction.js';
import { cdkJson, synthGateway, type SynthesizedGateway } from './synth.js';

/** The `index.mjs` that `cdk synth` stages for one GatewayFunction bundled with or without the SDK. */
function cdkBundle(entry: string, bundleAwsSdk: boolean): string {
  const app = new App({ context: cdkJson.context });
  const stack = new Stack(app, 'BundlingProbe');
  const logs = { logLevel: 'INFO', logRetention: RetentionDays.ONE_MONTH, logEncryptionKey: new Key(stack, 'Logs') } as const;
  new GatewayFunction(stack, 'Probe', { entry, description: 'probe', timeout: Duration.seconds(5), memorySize: 1024, bundleAwsSdk, ...logs });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key: string } } }[];
  if (!fn) throw new Error('the probe stack has no function');
  const asset = `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`;
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

/** The bundled sources of each function `cdk synth` staged, by function description, from the source maps. */
function stagedSources(synthesized: SynthesizedGateway): Map<string, string[]> {
  const directory = synthesized.app.synth().directory;
  const functions = synthesized.template.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: { Description?: string; Code: { S3Key?: string } } }
  >;
  const sources = new Map<string, string[]>();
  for (const fn of Object.values(functions)) {
    const key = fn.Properties.Code.S3Key;
    if (!key || !fn.Properties.Description) continue;
    const map = JSON.parse(readFileSync(join(directory, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    sources.set(fn.Properties.Description, map.sources);
  }
  return sources;
}

const fromXraySdk = (sources: readonly string[]) => sources.filter((source) => source.includes('node_modules/aws-xray-sdk-core/'));

describe('detailedTracing (Powertools Tracer in the receivers only when asked for)', () => {
  it.each([
    { context: {}, receiversTraced: false },
    { context: { detailedTracing: true }, receiversTraced: true },
  ])('synth with $context: X-Ray SDK in the receivers $receiversTraced, in the worker always', ({ context, receiversTraced }) => {
    // Act
    const sources = stagedSources(synthGateway({ context }));

    // Assess
    const receivers = [...sources].filter(([description]) => description.startsWith('Receives '));
    const workers = [...sources].filter(([description]) => !description.startsWith('Receives '));
    expect(receivers).toHaveLength(4);
    expect(workers).toHaveLength(1);
    for (const [description, bundled] of receivers) expect(fromXraySdk(bundled).length > 0, description).toBe(receiversTraced);
    for (const [, bundled] of workers) expect(fromXraySdk(bundled).length).toBeGreaterThan(0);
  });
});
