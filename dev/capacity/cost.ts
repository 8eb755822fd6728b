/**
 * The cost side of a capacity plan: what a month at a steady rate costs. The figures per million deliveries are
 * the cost model's (BENCHMARKS.md, "Cost per million deliveries", printed by `npx tsx bench/cost.ts`); the fixed
 * monthly part is docs/costs.md's headline.
 */

/** The cost model's figures a plan multiplies out. */
export interface CostFigures {
  /** $ per million deliveries when the worker gets full batches. */
  readonly busyPerMillion: number;
  /** $ per million deliveries when every event comes alone in its batch. */
  readonly tricklePerMillion: number;
  /** $ a month with no traffic (secrets, keys, alarms, dashboard). */
  readonly idleMonthly: number;
  /** $ a month that traffic adds whatever its volume (the custom metrics, charged in the hours they receive data). */
  readonly trafficMonthly: number;
  /** Where the figures come from. */
  readonly source: string;
}

/**
 * The figures as BENCHMARKS.md and docs/costs.md state them (us-east-1 list prices read 2026-11-29), each table row
 * computed from measurements: busy 5.47, trickle 11.29, plus the park table's read (0.01 busy, 0.06 trickle); idle
 * 10.60 a month; the custom metrics at the top of their 18-24 range, since at a steady rate every one receives data
 * every hour.
 */
export const BENCHMARKED_COSTS: CostFigures = {
  busyPerMillion: 5.48,
  tricklePerMillion: 11.35,
  idleMonthly: 10.6,
  trafficMonthly: 24,
  source: 'BENCHMARKS.md "Cost per million deliveries" and docs/costs.md "Headline" (us-east-1 list prices, read 2026-11-29)',
};

/** AWS prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/** What a month at a steady rate costs. */
export interface MonthlyCost {
  /** Deliveries in a month of {@link HOURS_PER_MONTH} hours at the rate. */
  readonly deliveries: number;
  /** $ a month when the worker gets full batches. */
  readonly busy: number;
  /** $ a month when every event comes alone in its batch: the upper bound. */
  readonly trickle: number;
  /** $ a month that does not depend on the rate. */
  readonly fixed: number;
  readonly busyPerMillion: number;
  readonly tricklePerMillion: number;
  readonly source: string;
}

/**
 * The monthly cost of `rate` deliveries per second, all month.
 *
 * @example monthlyCost(10, BENCHMARKED_COSTS).busy // 10 × 3,600 × 730 deliveries at 5.48 per million, plus 34.60
 */
export function monthlyCost(rate: number, figures: CostFigures): MonthlyCost {
  const deliveries = rate * 3600 * HOURS_PER_MONTH;
  const fixed = figures.idleMonthly + (rate > 0 ? figures.trafficMonthly : 0);
  return {
    deliveries,
    busy: fixed + (deliveries / 1e6) * figures.busyPerMillion,
    trickle: fixed + (deliveries / 1e6) * figures.tricklePerMillion,
    fixed,
    busyPerMillion: figures.busyPerMillion,
    tricklePerMillion: figures.tricklePerMillion,
    source: figures.source,
  };
}
