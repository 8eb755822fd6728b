/** The arithmetic of the bench's figures: ratios, rounding, the worst of several; tested in `bench/helpers.test.ts`. */

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
