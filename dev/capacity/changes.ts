/**
 * What to change for a rate: the settings (twice the steady need), the quota increases (the need and half again),
 * what neither lifts, and the limits on growing from idle.
 */
import type { CapacityInputs } from './inputs.js';
import { throttleCeiling, type Limit } from './limits.js';
import { AWS_QUOTAS, MIB, type QuotaSource } from './quotas.js';
import { conversationsText, roundUp, whole } from './text.js';
import type { CapacityRequest, Work } from './work.js';

/** A limit on how fast capacity grows from idle, not on the steady rate. */
export interface RampLimit {
  readonly id: string;
  readonly name: string;
  readonly limit: string;
  /** What it means for a jump from idle to the planned rate. */
  readonly atThisRate: string;
  readonly source: QuotaSource;
}

/** A setting of gateway.config.json: its default and the value the plan suggests. */
export interface SettingChange {
  readonly key: 'apiThrottleRateLimit' | 'apiThrottleBurstLimit' | 'workerMaxConcurrency' | 'receiverReservedConcurrency';
  /** The default (null: unset). */
  readonly current: number | null;
  /** The suggested value (null: leave it unset). */
  readonly suggested: number | null;
  /** Whether the suggestion differs from the default. */
  readonly change: boolean;
  readonly why: string;
}

/** A quota increase to request before the rate can be carried. */
export interface QuotaIncrease {
  readonly id: string;
  readonly quota: string;
  readonly current: number;
  /** At least this much (the rate's need and half again for bursts). */
  readonly request: number;
  readonly unit: string;
  readonly where: string;
}


/** Lambda keeps this many concurrent executions unreserved (infra/config.ts checks reservations against it). */
const UNRESERVED_MINIMUM = 100;
/** Capacity kept above the steady need, for bursts (docs/deploying.md: "doubled for bursts"). */
const HEADROOM = 2;
/** A quota increase asks for the need and half again. */
const INCREASE_MARGIN = 1.5;

/** The settings to change for `request`'s rate, and the worker concurrency suggested. */
export function suggestSettings(request: CapacityRequest, inputs: CapacityInputs, work: Work): { readonly changes: SettingChange[]; readonly workerSuggested: number } {
  const { rate, conversations } = request;
  const { receiverMs, workerNeed } = work;
  const { settings } = inputs;
  const bounds = inputs.settingMaximums;
  const throttleMaximum = throttleCeiling(inputs);
  const q = AWS_QUOTAS;
  const accountConcurrency = q.lambdaConcurrentExecutions.value;
  const throttle = Math.max(settings.apiThrottleRateLimit, Math.min(throttleMaximum, roundUp(HEADROOM * rate)));
  const burst = Math.max(settings.apiThrottleBurstLimit, throttle);
  const workerSuggested = (() => {
    const wanted = Math.ceil(HEADROOM * workerNeed);
    if (wanted <= settings.workerMaxConcurrency) return settings.workerMaxConcurrency;
    const useful = conversations === undefined ? wanted : Math.min(wanted, Math.max(2, conversations));
    return Math.min(bounds.workerMaxConcurrency, Math.max(settings.workerMaxConcurrency, useful));
  })();
  // A reservation is also the receiver's ceiling: its concurrency, and 10 invocations a second for each unit of it.
  const reserved = Math.ceil(Math.max((HEADROOM * rate * receiverMs) / 1000, rate / q.lambdaSyncRpsPerEnvironment.value));
  const reservedNeedsAccount = inputs.receivers * reserved + workerSuggested + UNRESERVED_MINIMUM;
  const settingChanges: SettingChange[] = [
    {
      key: 'apiThrottleRateLimit',
      current: settings.apiThrottleRateLimit,
      suggested: throttle,
      change: throttle !== settings.apiThrottleRateLimit,
      why:
        throttle >= HEADROOM * rate
          ? `twice the rate, for bursts (${whole(rate)}/s)`
          : `the most the settings allow with a burst of at most ${whole(throttleMaximum)}: ${whole(rate)}/s is above it`,
    },
    {
      key: 'apiThrottleBurstLimit',
      current: settings.apiThrottleBurstLimit,
      suggested: burst,
      change: burst !== settings.apiThrottleBurstLimit,
      why: 'at least apiThrottleRateLimit (infra/config.ts)',
    },
    {
      key: 'workerMaxConcurrency',
      current: settings.workerMaxConcurrency,
      suggested: workerSuggested,
      change: workerSuggested !== settings.workerMaxConcurrency,
      why:
        workerSuggested === settings.workerMaxConcurrency
          ? `${workerNeed.toFixed(1)} invocations busy on average: the default has room for twice that`
          : `twice the ${workerNeed.toFixed(1)} invocations busy on average${workerSuggested === bounds.workerMaxConcurrency ? ` (the setting allows at most ${whole(bounds.workerMaxConcurrency)})` : ''}${
              conversations !== undefined && workerSuggested === Math.max(2, conversations) ? `, no more than the ${conversationsText(conversations)}` : ''
            }`,
    },
    {
      key: 'receiverReservedConcurrency',
      current: null,
      suggested: reservedNeedsAccount <= accountConcurrency ? reserved : null,
      change: false,
      why:
        reservedNeedsAccount <= accountConcurrency
          ? `optional: ${whole(reserved)} per receiver keeps other functions from starving them (twice the need, and 10 invocations a second per unit); ` +
            `${inputs.receivers} x ${whole(reserved)} leaves ${whole(accountConcurrency - inputs.receivers * reserved)} of the account's ${whole(accountConcurrency)} ` +
            `for the worker's ${whole(workerSuggested)} and the rest (Lambda keeps at least ${UNRESERVED_MINIMUM} unreserved)`
          : `leave unset: ${whole(reserved)} per receiver (10 invocations a second per unit) would take ${whole(reservedNeedsAccount)} of the account's ` +
            `${whole(accountConcurrency)} with the worker's and the ${UNRESERVED_MINIMUM} Lambda keeps unreserved`,
    },
  ];

  return { changes: settingChanges, workerSuggested };
}

/** The quota increases `request`'s rate needs: one for each quota among `limits` it reaches. */
export function quotaIncreasesAt(request: CapacityRequest, inputs: CapacityInputs, work: Work, limits: readonly Limit[]): QuotaIncrease[] {
  const { rate } = request;
  const batch = inputs.batchSize;
  const { totalConcurrency } = work;
  const q = AWS_QUOTAS;
  const accountConcurrency = q.lambdaConcurrentExecutions.value;
  const needs: Record<string, { need: number; unit: string; current: number; where: string }> = {
    apiGatewayAccountThrottle: {
      need: rate,
      unit: 'requests/s',
      current: q.apiGatewayAccountRps.value,
      where: 'Service Quotas › Amazon API Gateway › Throttle rate (L-8A5B8E43)',
    },
    lambdaSyncInvocations: {
      need: rate / q.lambdaSyncRpsPerEnvironment.value,
      unit: 'concurrent executions',
      current: accountConcurrency,
      where: 'Service Quotas › AWS Lambda › Concurrent executions (L-B99A9384); then set accountConcurrencyLimit',
    },
    lambdaConcurrentExecutions: {
      need: totalConcurrency,
      unit: 'concurrent executions',
      current: accountConcurrency,
      where: 'Service Quotas › AWS Lambda › Concurrent executions (L-B99A9384); then set accountConcurrencyLimit',
    },
    sqsFifoSendMessage: { need: rate, unit: 'SendMessage/s', current: q.sqsFifoHighThroughputTps.value, where: 'AWS Support: SQS high-throughput FIFO quota' },
    archive: {
      need: inputs.archive === 's3' ? rate / batch : (rate * inputs.archiveEventBytes) / MIB,
      unit: inputs.archive === 's3' ? 'PutObject/s' : 'MiB/s',
      current: inputs.archive === 's3' ? q.s3PutPerPrefix.value : q.firehoseDirectPut.mibPerSecond,
      where: inputs.archive === 's3' ? 'none to request: S3 partitions the prefix by itself' : 'Amazon Data Firehose Limits form (throughput per stream)',
    },
    archiveRequests: { need: rate / batch, unit: 'requests/s', current: q.firehoseDirectPut.requestsPerSecond, where: 'Amazon Data Firehose Limits form' },
    archiveRecords: { need: rate / batch, unit: 'records/s', current: q.firehoseDirectPut.recordsPerSecond, where: 'Amazon Data Firehose Limits form' },
    idempotencyTable: {
      need: rate * inputs.idempotencyWriteUnitsPerEvent,
      unit: 'write request units/s',
      current: q.dynamoDbOnDemand.tableRequestUnits,
      where: 'Service Quotas › Amazon DynamoDB › Table-level write throughput limit',
    },
    parkTable: {
      need: rate * inputs.parkReadUnitsPerEvent,
      unit: 'read request units/s',
      current: q.dynamoDbOnDemand.tableRequestUnits,
      where: 'Service Quotas › Amazon DynamoDB › Table-level read throughput limit',
    },
  };
  const reached = limits.filter((limit) => limit.reachedAt !== null && limit.reachedAt <= rate);
  const quotaIncreases: QuotaIncrease[] = [];
  for (const limit of reached.filter((item) => item.kind === 'quota')) {
    const need = needs[limit.id];
    if (!need || (limit.id === 'archive' && inputs.archive === 's3')) continue;
    // Lambda's two quotas are one: ask once, for the larger need.
    const lambda = limit.id === 'lambdaSyncInvocations' || limit.id === 'lambdaConcurrentExecutions';
    const existing = lambda ? quotaIncreases.findIndex((item) => item.id === 'lambdaSyncInvocations' || item.id === 'lambdaConcurrentExecutions') : -1;
    const request = roundUp(Math.max(need.current, need.need * INCREASE_MARGIN));
    const increase = { id: limit.id, quota: limit.name, current: need.current, request, unit: need.unit, where: need.where };
    if (existing >= 0) {
      const before = quotaIncreases[existing];
      if (before && before.request < request) quotaIncreases[existing] = { ...increase, quota: 'Lambda concurrent executions' };
    } else {
      quotaIncreases.push(lambda ? { ...increase, quota: 'Lambda concurrent executions' } : increase);
    }
  }
  return quotaIncreases;
}

/** The limits `request`'s rate reaches that neither a setting nor a quota increase lifts: the conversations, the settings' own bounds. */
export function ceilingsAt(request: CapacityRequest, work: Work, limits: readonly Limit[], workerSuggested: number): Limit[] {
  const { rate } = request;
  const { perInvocationRate } = work;
  const reached = limits.filter((limit) => limit.reachedAt !== null && limit.reachedAt <= rate);
  return reached.filter(
    (limit) =>
      limit.kind === 'conversations' ||
      limit.id === 'apiThrottleBurstLimit' ||
      (limit.id === 'workerMaxConcurrency' && workerSuggested * perInvocationRate < rate),
  );
}

/** The limits on growing from idle to `request`'s rate. */
export function rampsAt(request: CapacityRequest, inputs: CapacityInputs, work: Work): RampLimit[] {
  const { rate, conversations } = request;
  const writes = rate * inputs.idempotencyWriteUnitsPerEvent;
  const { receiverConcurrency, workerNeed } = work;
  const q = AWS_QUOTAS;
  return [
    {
      id: 'lambdaScalingRate',
      name: 'Lambda scaling rate',
      limit: `${whole(q.lambdaScalingRate.value)} new execution environments per function every ${q.lambdaScalingRate.perSeconds} s`,
      atThisRate: `a receiver taking every delivery needs ${whole(Math.max(receiverConcurrency, rate / q.lambdaSyncRpsPerEnvironment.value))} environments' worth: ${
        rate <= 10 * q.lambdaScalingRate.value
          ? `within one ${q.lambdaScalingRate.perSeconds}-second allowance`
          : `${Math.ceil(rate / (10 * q.lambdaScalingRate.value)) * q.lambdaScalingRate.perSeconds} s from idle; providers retry the 429s meanwhile`
      }`,
      source: q.lambdaScalingRate.source,
    },
    {
      id: 'apiGatewayBurst',
      name: 'API Gateway burst bucket',
      limit: `${whole(q.apiGatewayAccountRps.burst)} requests above the steady rate, per region`,
      atThisRate: 'absorbs a spike, not a higher steady rate',
      source: q.apiGatewayAccountRps.source,
    },
    {
      id: 'dynamoDbNewTable',
      name: "A new on-demand table's first peak",
      limit: `${whole(q.dynamoDbOnDemand.newTableWriteUnits)} write units/s at once; twice the previous peak within 30 minutes`,
      atThisRate:
        writes <= q.dynamoDbOnDemand.newTableWriteUnits
          ? `${whole(writes)} write units/s: within a new table's first peak`
          : `${whole(writes)} write units/s: ramp up over ${Math.ceil(Math.log2(writes / q.dynamoDbOnDemand.newTableWriteUnits)) * 30} minutes, or pre-warm the idempotency table (warm throughput)`,
      source: q.dynamoDbOnDemand.source,
    },
    {
      id: 'lambdaSqsFifo',
      name: "the worker's event source (SQS FIFO)",
      limit: `at most min(conversations, workerMaxConcurrency) invocations, batches of at most ${q.lambdaSqsFifo.maxBatchSize}`,
      atThisRate: `${workerNeed.toFixed(1)} invocations busy on average${conversations === undefined ? '' : ` of at most ${conversationsText(conversations)}`}`,
      source: q.lambdaSqsFifo.source,
    },
  ];
}
