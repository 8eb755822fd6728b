/**
 * Statistics of timings recorded elsewhere (the bench's interleaved pairs and fresh processes, the latencies of
 * `npm run load`), computed by tinybench: its tasks run one after another, while a fair ratio on a shared machine
 * needs the bench's own interleaving, so the durations are recorded here and tinybench only describes them.
 * Percentiles interpolate linearly between the closest ranks, as tinybench defines them.
 */
import { Bench, type FnReturnedObject, type Statistics } from 'tinybench';

/**
 * tinybench's statistics of recorded samples (the latency figures, in the samples' own unit), the samples kept
 * sorted in `samples`; undefined when there are none. Each sample is one run of a tinybench task that returns it
 * as its `overriddenDuration`, which tinybench records as it is (never corrected for timer overhead); no warm-up,
 * no time budget, so the task runs exactly once per sample.
 *
 * @throws RangeError when a sample is not a finite number ≥ 0: tinybench would silently record its own timing instead
 * @example statisticsOf([4, 1, 3, 2])?.p50 // 2.5
 */
export function statisticsOf(samples: readonly number[]): Statistics | undefined {
  if (samples.length === 0) return undefined;
  const invalid = samples.findIndex((sample) => !Number.isFinite(sample) || sample < 0);
  if (invalid >= 0) throw new RangeError(`bench: sample ${invalid} is ${String(samples[invalid])}; statistics take finite numbers ≥ 0 only`);
  let next = 0;
  const bench = new Bench({ iterations: samples.length, time: 0, warmup: false, retainSamples: true, throws: true });
  // `async: false`: otherwise tinybench calls the function once to find out, which would consume a sample.
  bench.add('recorded samples', (): FnReturnedObject => ({ overriddenDuration: samples[next++] ?? Number.NaN }), { async: false });
  const result = bench.runSync()[0]?.result;
  if (result?.state !== 'completed' || next !== samples.length || result.latency.samplesCount !== samples.length) {
    throw new Error(`bench: tinybench described ${String(next)} of ${String(samples.length)} samples (task ${result?.state ?? 'missing'})`);
  }
  return result.latency;
}

/** The median of the values (tinybench's p50), not rounded; NaN when there are none. */
export function median(values: readonly number[]): number {
  return statisticsOf(values)?.p50 ?? Number.NaN;
}
