/**
 * `semver.gte` for plain `x.y.z` versions: what the AWS X-Ray SDK (under Powertools Tracer) calls of
 * `semver`, in its AWS SDK v2 patcher only (`patchers/aws_p`, a version check the gateway never reaches: it
 * uses SDK v3). The bundles substitute this module for `semver` (`infra/bundling.ts`, esbuild `alias`), which
 * would otherwise build several dozen regular expressions and range tables at every cold start (about 5 ms of
 * a receiver's import, BENCHMARKS.md). `test/infra/bundling.test.ts` checks that nothing else in a bundle
 * imports `semver`, so no other caller can meet this reduced module.
 *
 * Pre-release and build suffixes are ignored: `3.0.0-rc.1` compares as `3.0.0`.
 */
function parts(version: string): number[] {
  const core = String(version).trim().replace(/^[v=]+/, '').split(/[-+]/, 1)[0] ?? '';
  return core.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** True when `version` is the same as or later than `minimum`. */
export function gte(version: string, minimum: string): boolean {
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x > y;
  }
  return true;
}
