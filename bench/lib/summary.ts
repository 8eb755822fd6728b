import { statisticsOf } from '../../dev/load/statistics.js';
import { round } from './ratios.js';

/** What a set of timings looks like, rounded. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p75: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Relative margin of error of the mean, in percent (95 % confidence). */
  readonly rme: number;
}

/** {@link statisticsOf} the values, rounded to `digits` decimals; NaN figures when there are none. */
export function summarise(values: readonly number[], digits = 3): Summary {
  const statistics = statisticsOf(values);
  const figure = (value: number | undefined) => (value === undefined ? Number.NaN : round(value, digits));
  return {
    n: values.length,
    median: figure(statistics?.p50),
    p75: figure(statistics?.p75),
    p99: figure(statistics?.p99),
    min: figure(statistics?.min),
    max: figure(statistics?.max),
    mean: figure(statistics?.mean),
    rme: figure(statistics?.rme),
  };
}
