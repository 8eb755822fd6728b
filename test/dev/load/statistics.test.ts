import { describe, expect, it } from 'vitest';
import { median, statisticsOf } from '../../../dev/load/statistics.js';

describe('statistics of recorded timings (tinybench)', () => {
  it('gives the exact median, percentiles and extremes of known samples, by linear interpolation', () => {
    // Prepare: sorted 1 2 3 4 6 7 9 10 12 15 (n = 10, sum 69); rank of pX = X / 100 × 9
    const samples = [12, 3, 7, 1, 9, 4, 15, 6, 2, 10];

    // Act
    const statistics = statisticsOf(samples);

    // Assess
    expect(statistics?.p50).toBe(6.5); // rank 4.5: between 6 and 7
    expect(statistics?.p75).toBeCloseTo(9.75, 12); // rank 6.75: 9 + 0.75 × (10 − 9)
    expect(statistics?.p99).toBeCloseTo(14.73, 12); // rank 8.91: 12 + 0.91 × (15 − 12)
    expect(statistics?.min).toBe(1);
    expect(statistics?.max).toBe(15);
    expect(statistics?.mean).toBeCloseTo(6.9, 12);
    expect(samples).toEqual([12, 3, 7, 1, 9, 4, 15, 6, 2, 10]);
  });

  it('describes every sample as recorded, none lost, added or corrected for timer overhead', () => {
    // Prepare: sub-microsecond durations (ms), a zero and a repeat, where a timer correction would show
    const samples = [0.0004, 0, 0.0001, 0.0004, 2.5, 0.00002];

    // Act
    const statistics = statisticsOf(samples);

    // Assess
    expect(statistics?.samplesCount).toBe(samples.length);
    expect(statistics?.samples).toEqual([...samples].sort((a, b) => a - b));
    expect(statisticsOf([7])).toMatchObject({ samplesCount: 1, p50: 7, p99: 7, min: 7, max: 7 });
  });

  it('gives the median, and NaN when there is nothing to describe', () => {
    // Assess
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(statisticsOf([])).toBeUndefined();
  });

  it('refuses a sample tinybench would silently replace with its own timing', () => {
    // Assess
    expect(() => statisticsOf([1, Number.NaN])).toThrow(/sample 1 is NaN/);
    expect(() => statisticsOf([-1])).toThrow(RangeError);
  });
});
