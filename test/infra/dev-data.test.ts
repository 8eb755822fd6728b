/**
 * What only development needs (development secrets, sample signers, local variable names: `dev/providers.ts`)
 * stays out of every Lambda bundle, read from the assets `cdk synth` stages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { devProvider, developmentSecrets } from '../../dev/providers.js';
import { providers } from '../../lib/providers/registry.js';
import { synthGateway } from './synth.js';

interface StagedBundle {
  readonly asset: string;
  readonly code: string;
  /** The source files the bundle was built from, as its source map names them. */
  readonly sources: readonly string[];
}

describe('the Lambda bundles cdk synth stages', () => {
  let bundles: StagedBundle[];
  beforeAll(() => {
    const { app } = synthGateway();
    const outdir = app.synth().directory;
    bundles = readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .filter((asset) => readdirSync(join(outdir, asset)).includes('index.mjs'))
      .map((asset) => ({
        asset,
        code: readFileSync(join(outdir, asset, 'index.mjs'), 'utf8'),
        sources: (JSON.parse(readFileSync(join(outdir, asset, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources,
      }));
  }, 120_000);

  it('include a receiver per provider, built from the provider code', () => {
    // Assess: the probes below look at real bundles
    expect(bundles.filter((bundle) => bundle.sources.some((source) => source.includes('lib/receiver/')))).toHaveLength(providers.length);
  });

  it('contain no development secret, nor anything it starts with', () => {
    // Assess
    // Found strings only, not the bundle: a failure would print megabytes of minified code.
    const found = bundles.flatMap((bundle) => [...developmentSecrets(), 'dev-only'].filter((secret) => bundle.code.includes(secret)));
    expect(found).toEqual([]);
  });

  it('contain nothing from dev/ (the sample signers) and no local secret variable name', () => {
    // Assess
    for (const bundle of bundles) {
      expect(bundle.sources.filter((source) => /(^|\/)dev\//.test(source)), bundle.asset).toEqual([]);
      const variables = providers.map((provider) => devProvider(provider).secretEnv);
      expect(variables.filter((variable) => bundle.code.includes(variable)), bundle.asset).toEqual([]);
    }
  });
});
