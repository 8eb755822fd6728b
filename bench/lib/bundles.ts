/**
 * The bundles the benchmarks load: every receiver (`functions/<slug>.ts`) and the bare baseline, each built
 * with `infra/bundling.ts` exactly as the CDK stack builds it, in both ways of shipping the AWS SDK.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildGatewayBundle } from '../../infra/bundling.js';
import { providers } from '../../lib/providers/registry.js';
import { repositoryRoot } from './paths.js';

/** How the AWS SDK ships: bundled and tree-shaken into each function, or left to the Lambda runtime's copy. */
export type SdkShipping = 'bundled' | 'runtime';
export const sdkShippings: readonly SdkShipping[] = ['bundled', 'runtime'];

/** The name of the baseline among the bundles. */
export const BASELINE = 'baseline';

export interface BuiltBundle {
  /** `baseline` or a provider slug. */
  readonly name: string;
  readonly sdk: SdkShipping;
  /** Built as `-c detailedTracing=true` builds a receiver: with Powertools Tracer (SDK bundled only). */
  readonly detailedTracing: boolean;
  readonly file: string;
  readonly bytes: number;
  /** Bytes in the output by package (`zod`, `@smithy/core`, `lib/receiver`...), largest first. */
  readonly composition: readonly { readonly from: string; readonly bytes: number }[];
}

/** Where a bundle's code came from: the npm package, or the project folder. */
function originOf(input: string): string {
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (npm?.[1]) return npm[1];
  return input.split('/').slice(0, 2).join('/');
}

/** Bytes in the output by origin, largest first. */
function composition(metafile: Metafile): { from: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    totals.set(originOf(input), (totals.get(originOf(input)) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([from, bytes]) => ({ from, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The entry points: the baseline first, then one receiver per registered provider. */
function benchEntries(): { name: string; entry: string }[] {
  return [
    { name: BASELINE, entry: join(repositoryRoot, 'bench/baseline/handler.ts') },
    ...providers.map((provider) => ({ name: provider.slug, entry: join(repositoryRoot, `functions/${provider.slug}.ts`) })),
  ];
}

/** Where the bundles go: inside the repository, so that an SDK left external resolves from `node_modules`. */
const bundlesDirectory = join(repositoryRoot, '.bench-build', 'bundles');

/**
 * Builds every entry in both SDK shippings (the default build), and every receiver once more as
 * `-c detailedTracing=true` builds it, SDK bundled, to be reported beside the default.
 */
export async function buildBenchBundles(): Promise<BuiltBundle[]> {
  await rm(bundlesDirectory, { recursive: true, force: true });
  const builds = [
    ...sdkShippings.flatMap((sdk) => benchEntries().map((entry) => ({ ...entry, sdk, detailedTracing: false }))),
    ...benchEntries()
      .filter(({ name }) => name !== BASELINE)
      .map((entry) => ({ ...entry, sdk: 'bundled' as const, detailedTracing: true })),
  ];
  return Promise.all(
    builds.map(async ({ name, entry, sdk, detailedTracing }) => {
      const outdir = join(bundlesDirectory, detailedTracing ? `${sdk}-detailed-tracing` : sdk, name);
      const bundle = await buildGatewayBundle(entry, outdir, sdk === 'bundled', detailedTracing);
      return { name, sdk, detailedTracing, file: bundle.file, bytes: bundle.bytes, composition: composition(bundle.metafile) };
    }),
  );
}
