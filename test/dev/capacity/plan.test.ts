/**
 * The capacity planner's arithmetic on fixed inputs: which limit binds first at each rate, the settings it suggests,
 * the quota increases and the monthly cost.
 */
import { describe, expect, it } from 'vitest';
import type { CapacityInputs } from '../../../dev/capacity/inputs.js';
import { planCapacity } from '../../../dev/capacity/plan.js';
import { AWS_QUOTAS } from '../../../dev/capacity/quotas.js';
import { roundUp } from '../../../dev/capacity/text.js';
import { SECONDS_PER_MONTH, type CostModel } from '../../../dev/cost/model.js';

/**
 * Inputs with round numbers: a receiver takes 1 ms of its time for CPU (0.58 ms at 1024 MB) + 15 ms; a batch's
 * fixed part is 2 calls of 8 ms and 24 ms of time for CPU; an event 2 calls of 8 ms and the handler.
 */
function inputs(overrides: Partial<CapacityInputs> = {}): CapacityInputs {
  return {
    receiverCpuMs: 1024 / 1769,
    receiverMemoryMb: 1024,
    sendLatencyMs: 15,
    workerMemoryMb: 512,
    workerBatchCpuMs: (4 * 512) / 1769,
    workerEventCpuMs: (2 * 512) / 1769,
    workerBatchCalls: 2,
    workerEventCalls: 2,
    idempotencyWriteUnitsPerEvent: 2,
    parkReadUnitsPerEvent: 1,
    storeLatencyMs: 8,
    archive: 's3',
    archiveEventBytes: 1_383,
    measured: 'test',
    batchSize: 10,
    receivers: 4,
    secretsMaxAgeSeconds: 300,
    settings: { apiThrottleRateLimit: 100, apiThrottleBurstLimit: 200, workerMaxConcurrency: 10 },
    settingMaximums: { apiThrottleRateLimit: 10_000, apiThrottleBurstLimit: 5_000, workerMaxConcurrency: 1000 },
    ...overrides,
  };
}

/** A cost model of $5 a million in full batches, $10 when events come alone, $30 a month fixed. */
const costs: CostModel = {
  busyPerMillion: 5,
  tricklePerMillion: 10,
  idleMonthly: 10,
  metricsMonthly: 20,
  rows: [],
  idle: [],
  perMillion: (eventsPerBatch) => (eventsPerBatch >= 10 ? 5 : 10),
  monthlyCost: (rate, options = {}) => 30 + ((rate * SECONDS_PER_MONTH) / 1e6) * ((options.eventsPerBatch ?? 10) >= 10 ? 5 : 10),
};

describe('capacity plan: per-event times', () => {
  it('derives the receiver and worker times and the concurrency from them (rate x duration)', () => {
    // Act
    const plan = planCapacity({ rate: 1000, handlerMs: 100 }, inputs(), costs);

    // Assess: receiver 1 + 15 ms; a batch 40 ms fixed (32 + 8) and 16 + 100 ms for its events, in parallel
    expect(plan.perEvent.receiverMs).toBeCloseTo(16, 6);
    expect(plan.perEvent.workerBatchFixedMs).toBeCloseTo(40, 6);
    expect(plan.perEvent.workerPerEventMs).toBe(116);
    expect(plan.perEvent.workerBatchMs).toBeCloseTo(156, 6);
    expect(plan.concurrency.receivers).toBeCloseTo(16, 6);
    expect(plan.concurrency.worker).toBeCloseTo(15.6, 6);
  });

  it("runs a conversation's events in a batch one after another when there are fewer conversations than the batch", () => {
    // Act
    const plan = planCapacity({ rate: 10, handlerMs: 100, conversations: 3 }, inputs(), costs);

    // Assess: 10 events of 3 conversations, up to 4 of one conversation after another
    expect(plan.perEvent.eventsPerConversationInBatch).toBe(4);
    expect(plan.perEvent.workerBatchMs).toBeCloseTo(40 + 4 * 116, 6);
  });
});

describe('capacity plan: which limit is reached first', () => {
  it('10,000/s reaches the API Gateway account throttle before any other AWS quota', () => {
    // Act
    const plan = planCapacity({ rate: 10_000, handlerMs: 100 }, inputs(), costs);

    // Assess
    expect(plan.firstQuota).toEqual({ id: 'apiGatewayAccountThrottle', name: 'API Gateway account throttle', reachedAt: AWS_QUOTAS.apiGatewayAccountRps.value });
    const quotas = plan.limits.filter((limit) => limit.kind === 'quota' && limit.reachedAt !== null);
    expect(quotas[0]?.id).toBe('apiGatewayAccountThrottle');
    expect(quotas.slice(1).every((limit) => (limit.reachedAt ?? 0) >= 10_000)).toBe(true);
  });

  it("with the default settings, the API's own throttle (100/s) comes before every quota", () => {
    // Act
    const plan = planCapacity({ rate: 10, handlerMs: 100 }, inputs(), costs);

    // Assess
    expect(plan.firstLimitWithDefaults).toEqual({ id: 'apiThrottleRateLimit', name: "the API's throttle (apiThrottleRateLimit)", reachedAt: 100 });
    expect(plan.carried).toBe(true);
    expect(plan.settings.filter((setting) => setting.change)).toEqual([]);
  });

  it('few conversations bound the worker: each carries one event per (handler + writes + its share of a batch)', () => {
    // Act
    const plan = planCapacity({ rate: 100, handlerMs: 200, conversations: 5 }, inputs(), costs);

    // Assess: 5 conversations x 1000 / (216 + 40 / 10) ms
    const expected = (5 * 1000) / 220;
    expect(plan.firstLimitWithDefaults.id).toBe('conversations');
    expect(plan.firstLimitWithDefaults.reachedAt).toBeCloseTo(expected, 6);
    expect(plan.ceilings.map((limit) => limit.id)).toEqual(['conversations']);
    expect(plan.carried).toBe(false);
  });

  it('many conversations do not bind: no conversations limit at all', () => {
    // Act
    const plan = planCapacity({ rate: 100, handlerMs: 200 }, inputs(), costs);

    // Assess
    expect(plan.limits.some((limit) => limit.kind === 'conversations')).toBe(false);
    expect(plan.carried).toBe(true);
  });

  it('a long handler makes Lambda concurrency the first quota, at the rate where receivers and worker fill the account', () => {
    // Act
    const plan = planCapacity({ rate: 1000, handlerMs: 1000 }, inputs(), costs);

    // Assess: per delivery 16 ms of receiver and (40 + 1016) / 10 ms of worker against 1,000 concurrent executions
    const reachedAt = 1000 / ((16 + 105.6) / 1000);
    expect(plan.firstQuota.id).toBe('lambdaConcurrentExecutions');
    expect(plan.firstQuota.reachedAt).toBeCloseTo(reachedAt, 3);
  });

  it('an archive through Firehose is reached at 5 MiB/s of events: about 3,800/s of 1,383-byte events', () => {
    // Act
    const plan = planCapacity({ rate: 1000, handlerMs: 100 }, inputs({ archive: 'firehose' }), costs);

    // Assess
    expect(plan.firstQuota.id).toBe('archive');
    expect(plan.firstQuota.reachedAt).toBeCloseTo((5 * 1_048_576) / 1_383, 6);
  });

  it("follows the measured idempotency writes: one per event reaches the table's 40,000 units at 40,000/s", () => {
    // Act
    const two = planCapacity({ rate: 1000, handlerMs: 100 }, inputs(), costs);
    const one = planCapacity({ rate: 1000, handlerMs: 100 }, inputs({ idempotencyWriteUnitsPerEvent: 1 }), costs);

    // Assess
    const reachedAt = (plan: typeof one) => plan.limits.find((limit) => limit.id === 'idempotencyTable')?.reachedAt;
    expect([reachedAt(two), reachedAt(one)]).toEqual([20_000, 40_000]);
  });

  it('lists the limits by the rate at which each is reached, ties in the order a delivery meets them', () => {
    // Act
    const plan = planCapacity({ rate: 1000, handlerMs: 100 }, inputs(), costs);

    // Assess
    const rates = plan.limits.map((limit) => limit.reachedAt ?? Infinity);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    const at10k = plan.limits.filter((limit) => limit.reachedAt === 10_000).map((limit) => limit.id);
    expect(at10k).toEqual(['apiGatewayAccountThrottle', 'lambdaSyncInvocations']);
    expect(plan.limits.at(-1)?.id).toBe('cloudWatchLogs');
  });
});

describe('capacity plan: what to change', () => {
  it('suggests twice the throttle and twice the busy worker invocations, and no quota increase at 1,000/s', () => {
    // Act
    const plan = planCapacity({ rate: 1000, handlerMs: 100 }, inputs(), costs);

    // Assess
    const suggested = Object.fromEntries(plan.settings.map((setting) => [setting.key, setting.suggested]));
    expect(suggested).toEqual({ apiThrottleRateLimit: 2000, apiThrottleBurstLimit: 2000, workerMaxConcurrency: 32, receiverReservedConcurrency: 100 });
    expect(plan.quotaIncreases).toEqual([]);
    expect(plan.carried).toBe(true);
  });

  it('at 10,000/s: the API Gateway and Lambda quota increases, and the settings cannot throttle above 5,000/s', () => {
    // Act
    const plan = planCapacity({ rate: 10_000, handlerMs: 100 }, inputs(), costs);

    // Assess
    expect(plan.quotaIncreases.map(({ id, request }) => ({ id, request }))).toEqual([
      { id: 'apiGatewayAccountThrottle', request: 15_000 },
      { id: 'lambdaSyncInvocations', request: 1_500 },
    ]);
    expect(plan.settings.find((setting) => setting.key === 'apiThrottleRateLimit')?.suggested).toBe(5_000);
    expect(plan.settings.find((setting) => setting.key === 'receiverReservedConcurrency')?.suggested).toBeNull();
    expect(plan.ceilings.map((limit) => limit.id)).toEqual(['apiThrottleBurstLimit']);
    expect(plan.carried).toBe(false);
  });

  it('caps workerMaxConcurrency at its bound, 1,000, and says the worker stays behind beyond it', () => {
    // Act
    const plan = planCapacity({ rate: 5_000, handlerMs: 2_000 }, inputs(), costs);

    // Assess
    expect(plan.settings.find((setting) => setting.key === 'workerMaxConcurrency')?.suggested).toBe(1000);
    expect(plan.ceilings.map((limit) => limit.id)).toContain('workerMaxConcurrency');
  });

  it('rounds suggestions up to two significant digits', () => {
    expect([roundUp(0), roundUp(17), roundUp(1234), roundUp(15_000), roundUp(1_501)]).toEqual([0, 17, 1300, 15_000, 1_600]);
  });
});

describe('capacity plan: the monthly cost', () => {
  it('is the fixed part plus the deliveries of 730 hours at the per-million figures', () => {
    // Act
    const { cost } = planCapacity({ rate: 100, handlerMs: 0 }, inputs(), costs);

    // Assess
    const deliveries = 100 * 3600 * 730;
    expect(cost.deliveries).toBe(deliveries);
    expect(cost.busy).toBeCloseTo(30 + (deliveries / 1e6) * 5, 6);
    expect(cost.trickle).toBeCloseTo(30 + (deliveries / 1e6) * 10, 6);
  });
});
