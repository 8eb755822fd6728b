/**
 * The cost side of a capacity plan: what a month at a steady rate costs, from the cost model (dev/cost/model.ts,
 * the one behind `npm run cost` and docs/costs.md).
 */
import { SECONDS_PER_MONTH, type CostModel } from '../cost/model.js';

/** What a month at a steady rate costs. */
export interface MonthlyCost {
  /** Deliveries in a month of 730 hours at the rate. */
  readonly deliveries: number;
  /** $ a month, the cost model's estimate (the worker's batches fill with what arrives in about a second). */
  readonly monthly: number;
  /** $ a month when the worker gets full batches. */
  readonly busy: number;
  /** $ a month when every event comes alone in its batch: the upper bound. */
  readonly trickle: number;
  /** $ a month whatever the rate: the idle month and the custom metrics. */
  readonly fixed: number;
  readonly busyPerMillion: number;
  readonly tricklePerMillion: number;
}

/**
 * The monthly cost of `rate` deliveries per second, all month.
 *
 * @example monthlyCostAt(10, costModel(measured)).busy
 */
export function monthlyCostAt(rate: number, model: CostModel, batchSize: number): MonthlyCost {
  return {
    deliveries: rate * SECONDS_PER_MONTH,
    monthly: model.monthlyCost(rate),
    busy: model.monthlyCost(rate, { eventsPerBatch: batchSize }),
    trickle: model.monthlyCost(rate, { eventsPerBatch: 1 }),
    fixed: model.idleMonthly + model.metricsMonthly,
    busyPerMillion: model.busyPerMillion,
    tricklePerMillion: model.tricklePerMillion,
  };
}
