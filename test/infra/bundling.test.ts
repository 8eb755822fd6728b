import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/constructs/GatewayFunction.js';
import { stagedBundle } from '../support/staged-bundle.js';
import { synthGateway, type SynthesizedGateway } from './synth.js';

const fromSdk = (sources: readonly string[]) => sources.filter((source) => /node_modules\/@(?:aws-sdk|smithy)\//.test(source));

describe('bundleAwsSdk (the AWS SDK bundled, or left to the Lambda runtime)', () => {
  let outdir: string;
  beforeAll(async () => {
    // Inside the repository: the folder is git-ignored, so a fresh clone does not have it yet.
    await mkdir(join(projectRoot, '.bench-build'), { recursive: true });
    outdir = await mkdtemp(join(projectRoot, '.bench-build', 'test-'));
  });
  afterAll(() => rm(outdir, { recursive: true, force: true }));

  it.each([true, false])('bundleAwsSdk: %s stages a bundle with the SDK inside it, or importing the runtime copy', (bundleAwsSdk) => {
    // Act
    const { file } = stagedBundle('functions/qikchat.ts', join(outdir, String(bundleAwsSdk)), { bundleAwsSdk });

    // Assess
    const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    const code = readFileSync(file, 'utf8');
    expect(fromSdk(sources).length > 0).toBe(bundleAwsSdk);
    expect(/from\s*"@aws-sdk\/client-sqs"/.test(code)).toBe(!bundleAwsSdk);
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
