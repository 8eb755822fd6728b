/**
 * The capacity plan for a steady rate of deliveries: how much of each AWS quota and each of the stack's own limits
 * the rate uses, the rate at which each is reached, the settings to change and the quota increases to request.
 * Pure arithmetic on {@link CapacityInputs} (measured per-event work) and AWS's default quotas (quotas.ts, cited).
 */
import type { CostModel } from '../cost/model.js';
import { ceilingsAt, quotaIncreasesAt, rampsAt, suggestSettings, type QuotaIncrease, type RampLimit, type SettingChange } from './changes.js';
import { monthlyCostAt, type MonthlyCost } from './cost.js';
import type { CapacityInputs } from './inputs.js';
import { limitsAt, type Limit } from './limits.js';
import { conversationsText } from './text.js';
import { cpuShare, workAt, type CapacityRequest } from './work.js';

export type { CapacityRequest } from './work.js';
export type { Limit } from './limits.js';

/** The whole plan; `npm run capacity -- --json` prints it. */
export interface CapacityPlan {
  readonly request: { readonly rate: number; readonly handlerMs: number; readonly conversations: number | null };
  /** The per-event times the plan is computed from, in milliseconds. */
  readonly perEvent: {
    /** A receiver's invocation: its CPU at its vCPU share, and the SendMessage. */
    readonly receiverMs: number;
    /** The worker's fixed part of a batch: the archive write and the reads (park table, idempotency records) side by side, CPU. */
    readonly workerBatchFixedMs: number;
    /** The worker's part per event: its idempotency record's write and the handler. */
    readonly workerPerEventMs: number;
    /** Events of one conversation in a batch, run one after another. */
    readonly eventsPerConversationInBatch: number;
    /** One batch, start to end. */
    readonly workerBatchMs: number;
  };
  /** Concurrent executions the rate needs (Little's law: rate x duration). */
  readonly concurrency: { readonly receivers: number; readonly worker: number; readonly total: number };
  /** Every limit, by the rate at which it is reached (lowest first; ties in the order a delivery meets them). */
  readonly limits: readonly Limit[];
  /** The AWS quota reached first, and at what rate. */
  readonly firstQuota: { readonly id: string; readonly name: string; readonly reachedAt: number };
  /** The first limit of any kind reached with the default settings. */
  readonly firstLimitWithDefaults: { readonly id: string; readonly name: string; readonly reachedAt: number };
  readonly settings: readonly SettingChange[];
  readonly quotaIncreases: readonly QuotaIncrease[];
  /** The ceilings no setting or quota increase here lifts (the conversations, the settings' own bounds). */
  readonly ceilings: readonly Limit[];
  /** Whether the rate is carried once the settings are changed and the quota increases granted. */
  readonly carried: boolean;
  readonly ramps: readonly RampLimit[];
  readonly cost: MonthlyCost;
  readonly assumptions: readonly string[];
}

/** The first of `limits` that some rate reaches. */
function firstOf(limits: readonly Limit[]): { readonly id: string; readonly name: string; readonly reachedAt: number } {
  const first = limits.find((limit) => limit.reachedAt !== null);
  if (!first || first.reachedAt === null) throw new Error('capacity: no limit is reached at any rate');
  return { id: first.id, name: first.name, reachedAt: first.reachedAt };
}

/**
 * The plan for `request` from `inputs`, with the monthly cost from the cost model.
 *
 * @example planCapacity({ rate: 1000, handlerMs: 100 }, inputs, costModel(measured)).firstQuota.name // 'API Gateway account throttle'
 */
export function planCapacity(request: CapacityRequest, inputs: CapacityInputs, cost: CostModel): CapacityPlan {
  const { rate, handlerMs, conversations } = request;
  const batch = inputs.batchSize;
  const work = workAt(request, inputs);
  const { receiverMs, workerCpuMs, workerBatchFixedMs, workerPerEventMs, eventsPerConversationInBatch, workerBatchMs, perConversationRate } = work;
  const limits = limitsAt(request, inputs, work);
  const { changes, workerSuggested } = suggestSettings(request, inputs, work);
  const ceilings = ceilingsAt(request, work, limits, workerSuggested);
  return {
    request: { rate, handlerMs, conversations: conversations ?? null },
    perEvent: { receiverMs, workerBatchFixedMs, workerPerEventMs, eventsPerConversationInBatch, workerBatchMs },
    concurrency: { receivers: work.receiverConcurrency, worker: work.workerConcurrency, total: work.totalConcurrency },
    limits,
    firstQuota: firstOf(limits.filter((limit) => limit.kind === 'quota')),
    firstLimitWithDefaults: firstOf(limits),
    settings: changes,
    quotaIncreases: quotaIncreasesAt(request, inputs, work, limits),
    ceilings,
    carried: ceilings.length === 0,
    ramps: rampsAt(request, inputs, work),
    cost: monthlyCostAt(rate, cost, batch),
    assumptions: [
      `Measured: ${inputs.measured}.`,
      `Receiver: ${inputs.receiverCpuMs.toFixed(2)} ms CPU per delivery at ${cpuShare(inputs.receiverMemoryMb).toFixed(2)} vCPU (${inputs.receiverMemoryMb} MB), plus ${inputs.sendLatencyMs} ms for SendMessage (assumed by the cost model): ${receiverMs.toFixed(1)} ms an invocation.`,
      `Worker, per batch of ${batch}: ${inputs.workerBatchCalls.toFixed(1)} round trips (the archive write and the reads of the park table and the idempotency records, side by side) and ${workerCpuMs.toFixed(1)} ms CPU at ${cpuShare(inputs.workerMemoryMb).toFixed(2)} vCPU: ${workerBatchFixedMs.toFixed(1)} ms; per event ${inputs.workerEventCalls.toFixed(1)} round trips (its idempotency record's write) and the handler (${handlerMs} ms): ${workerPerEventMs.toFixed(1)} ms; each call ${inputs.storeLatencyMs} ms (assumed by the cost model).`,
      conversations === undefined
        ? `Many conversations: full batches of ${batch} events of ${batch} conversations, run in parallel: ${workerBatchMs.toFixed(1)} ms a batch.`
        : `${conversationsText(conversations)}: ${eventsPerConversationInBatch} events of each in a batch of ${batch}, one after another: ${workerBatchMs.toFixed(1)} ms a batch; a conversation carries at most ${perConversationRate.toFixed(1)} events/s.`,
      'Concurrency is rate x duration (Little\'s law); settings get twice the steady need, for bursts; a quota increase asks for the need and half again.',
      'Every delivery may come from one provider (one receiver function); deliveries are under 64 KB and events under 1 KB in DynamoDB.',
      'Quotas are the default ones in us-east-1 (other regions: see each source); the cost is us-east-1 list prices over a month of 730 hours.',
    ],
  };
}
