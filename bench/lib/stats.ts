/** The arithmetic of the benchmarks: pure functions on numbers, tested in `test/bench/helpers.test.ts`. */

/**
 * The value at percentile `p` (0–100) of the numbers, by linear interpolation between the closest ranks;
 * NaN when there are none. The input need not be sorted and is not changed.
 *
 * @example percentile([4, 1, 3, 2], 50) // 2.5
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** The median: {@link percentile} 50. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** `numerator / denominator`, rounded to `digits` decimals; NaN when the denominator is not positive. */
export function ratio(numerator: number, denominator: number, digits = 3): number {
  if (!(denominator > 0) || !Number.isFinite(numerator)) return Number.NaN;
  return round(numerator / denominator, digits);
}

/** A number rounded to `digits` decimals. */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** What a set of timings looks like. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/** Median, spread and extremes of a set of timings, rounded to `digits` decimals. */
export function summarise(values: readonly number[], digits = 3): Summary {
  return {
    n: values.length,
    median: round(median(values), digits),
    p10: round(percentile(values, 10), digits),
    p90: round(percentile(values, 90), digits),
    p99: round(percentile(values, 99), digits),
    min: round(values.length ? Math.min(...values) : Number.NaN, digits),
    max: round(values.length ? Math.max(...values) : Number.NaN, digits),
  };
}

/**
 * A deterministic pseudo-random generator (mulberry32), so that the interleaving order of a run can be
 * reproduced from its seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A shuffled copy (Fisher–Yates) of the items, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * The worst (largest) of named ratios, with its name; undefined when there are none or all are NaN.
 *
 * @example worst({ a: 1.1, b: 1.3 }) // { name: 'b', value: 1.3 }
 */
export function worst(ratios: Readonly<Record<string, number>>): { name: string; value: number } | undefined {
  let found: { name: string; value: number } | undefined;
  for (const [name, value] of Object.entries(ratios)) {
    if (Number.isNaN(value)) continue;
    if (!found || value > found.value) found = { name, value };
  }
  return found;
}
