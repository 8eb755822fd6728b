/** Numbers in the planner's words. */

/** A count or rate, rounded, with thousands separators. */
export const whole = (value: number): string => Math.round(value).toLocaleString('en-US');

/** "1 conversation", "20 conversations". */
export const conversationsText = (count: number): string => (count === 1 ? '1 conversation' : `${whole(count)} conversations`);

/** Rounds up to two significant digits: 1,234 → 1,300; 17 → 17. */
export function roundUp(value: number): number {
  if (value <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / step - 1e-9) * step;
}
