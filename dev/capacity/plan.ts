/**
 * The capacity plan for a steady rate of deliveries: how much of each AWS quota and each of the stack's own limits
 * the rate uses, the rate at which each is reached, the settings to change and the quota increases to request.
 * Pure arithmetic on {@link CapacityInputs} (measured per-event times) and {@link AWS_QUOTAS} (cited defaults).
 */
import { ONE_VCPU_MB, type CostModel } from '../cost/model.js';
import { monthlyCostAt, type MonthlyCost } from './cost.js';
import type { CapacityInputs } from './inputs.js';
import { AWS_QUOTAS, type QuotaSource } from './quotas.js';

/** What a plan is asked for. */
export interface CapacityRequest {
  /** Deliveries per second, steady. */
  readonly rate: number;
  /** Milliseconds your handler takes per event. */
  readonly handlerMs: number;
  /** Conversations with events at the same time (FIFO message groups); undefined: many, never the bound. */
  readonly conversations?: number;
}

/** What a limit is: one of the stack's settings, an AWS quota, or the conversations themselves. */
type LimitKind = 'setting' | 'quota' | 'conversations';

/** One limit, at the planned rate. */
export interface Limit {
  /** Stable name, for `--json` readers and tests. */
  readonly id: string;
  readonly kind: LimitKind;
  readonly name: string;
  /** The limit, in words with its unit. */
  readonly limit: string;
  /** What the planned rate asks of it, in words with its unit. */
  readonly usage: string;
  /** The share of the limit the planned rate uses (1 = all of it); null when it does not grow with the rate. */
  readonly used: number | null;
  /** Deliveries per second at which it is reached; null when no rate reaches it. */
  readonly reachedAt: number | null;
  /** What to do about it. */
  readonly action: string;
  readonly source?: QuotaSource;
}

/** A limit on how fast capacity grows from idle, not on the steady rate. */
interface RampLimit {
  readonly id: string;
  readonly name: string;
  readonly limit: string;
  /** What it means for a jump from idle to the planned rate. */
  readonly atThisRate: string;
  readonly source: QuotaSource;
}

/** A setting of gateway.config.json: its default and the value the plan suggests. */
interface SettingChange {
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
interface QuotaIncrease {
  readonly id: string;
  readonly quota: string;
  readonly current: number;
  /** At least this much (the rate's need and half again for bursts). */
  readonly request: number;
  readonly unit: string;
  readonly where: string;
}

/** The whole plan; `npm run capacity -- --json` prints it. */
export interface CapacityPlan {
  readonly request: { readonly rate: number; readonly handlerMs: number; readonly conversations: number | null };
  /** The per-event times the plan is computed from, in milliseconds. */
  readonly perEvent: {
    /** A receiver's invocation: its CPU at its vCPU share, and the SendMessage. */
    readonly receiverMs: number;
    /** The worker's fixed part of a batch: archive write, park read, CPU. */
    readonly workerBatchFixedMs: number;
    /** The worker's part per event: two idempotency writes and the handler. */
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

/** Lambda keeps this many concurrent executions unreserved (infra/config.ts checks reservations against it). */
const UNRESERVED_MINIMUM = 100;
/** Capacity kept above the steady need, for bursts (docs/deploying.md: "doubled for bursts"). */
const HEADROOM = 2;
/** A quota increase asks for the need and half again. */
const INCREASE_MARGIN = 1.5;

const cpuShare = (memoryMb: number) => Math.min(1, memoryMb / ONE_VCPU_MB);
const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const conversationsText = (count: number) => (count === 1 ? '1 conversation' : `${whole(count)} conversations`);
/** Rounds up to two significant digits: 1,234 → 1,300; 17 → 17. */
export function roundUp(value: number): number {
  if (value <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.ceil(value / step - 1e-9) * step;
}

/** The order a delivery meets the limits in, for ties. */
const PIPELINE = [
  'apiThrottleRateLimit',
  'apiThrottleBurstLimit',
  'apiGatewayAccountThrottle',
  'lambdaSyncInvocations',
  'lambdaConcurrentExecutions',
  'sqsFifoSendMessage',
  'workerMaxConcurrency',
  'conversations',
  'archive',
  'archiveRequests',
  'archiveRecords',
  'idempotencyTable',
  'parkTable',
  'secretsManager',
  'cloudWatchLogs',
];

/**
 * The plan for `request` from `inputs`, with the monthly cost from the cost model.
 *
 * @example planCapacity({ rate: 1000, handlerMs: 100 }, inputs, BENCHMARKED_COSTS).firstQuota.name // 'API Gateway account throttle'
 */
export function planCapacity(request: CapacityRequest, inputs: CapacityInputs, cost: CostModel): CapacityPlan {
  const { rate, handlerMs, conversations } = request;
  const batch = inputs.batchSize;
  const { settings } = inputs;
  // The settings' own bounds (infra/config.ts): the burst at most its maximum and at least the rate, so the rate too.
  const bounds = inputs.settingMaximums;
  const throttleMaximum = Math.min(bounds.apiThrottleRateLimit, bounds.apiThrottleBurstLimit);

  // Per event: the receiver's CPU stretched by its vCPU share, then the SendMessage it waits for.
  const receiverMs = inputs.receiverCpuMs / cpuShare(inputs.receiverMemoryMb) + inputs.sendLatencyMs;
  // Per batch: the archive write and the park table's read before any handler, and the worker's CPU for the whole
  // batch (one thread, whatever runs in parallel).
  const workerCpuMs = inputs.workerBatchCpuMs + batch * inputs.workerEventCpuMs;
  const workerBatchFixedMs = inputs.workerBatchCalls * inputs.storeLatencyMs + workerCpuMs / cpuShare(inputs.workerMemoryMb);
  // Per event: the idempotency records written before and after the handler.
  const workerPerEventMs = inputs.workerEventCalls * inputs.storeLatencyMs + handlerMs;
  // Conversations run in parallel within a batch, a conversation's own events one after another.
  const eventsPerConversationInBatch = conversations === undefined ? 1 : Math.ceil(batch / Math.min(batch, conversations));
  const workerBatchMs = workerBatchFixedMs + eventsPerConversationInBatch * workerPerEventMs;

  const receiverConcurrency = (rate * receiverMs) / 1000;
  const workerNeed = (rate * workerBatchMs) / (batch * 1000);
  // FIFO: one batch per conversation at a time, so never more invocations than conversations.
  const workerConcurrency = conversations === undefined ? workerNeed : Math.min(workerNeed, conversations);
  const totalConcurrency = receiverConcurrency + workerConcurrency;

  // The rates at which the worker's own bounds are reached.
  const perInvocationRate = (batch * 1000) / workerBatchMs;
  const perConversationRate = 1000 / (workerPerEventMs + workerBatchFixedMs / batch);

  const q = AWS_QUOTAS;
  const accountConcurrency = q.lambdaConcurrentExecutions.value;
  const accountReachedAt = (() => {
    const perDelivery = receiverMs / 1000 + workerBatchMs / (batch * 1000);
    const unbounded = accountConcurrency / perDelivery;
    if (conversations === undefined || (unbounded * workerBatchMs) / (batch * 1000) <= conversations) return unbounded;
    return (accountConcurrency - conversations) / (receiverMs / 1000);
  })();
  const secretCallsPerSecond = Math.max(inputs.receivers, receiverConcurrency) / inputs.secretsMaxAgeSeconds;
  const mib = 1_048_576;

  const archiveLimits: Limit[] =
    inputs.archive === 's3'
      ? [
          {
            id: 'archive',
            kind: 'quota',
            name: 'S3 writes per prefix (the archive)',
            limit: `${whole(q.s3PutPerPrefix.value)} PutObject/s per partitioned prefix`,
            usage: `${whole(rate / batch)} PutObject/s (one per batch of ${batch}; one per event when events come alone)`,
            used: rate / batch / q.s3PutPerPrefix.value,
            reachedAt: q.s3PutPerPrefix.value * batch,
            action: 'S3 partitions a busy prefix by itself (503 Slow Down until it has); the worker retries the batch',
            source: q.s3PutPerPrefix.source,
          },
        ]
      : [
          {
            id: 'archive',
            kind: 'quota',
            name: 'Firehose Direct PUT throughput (the archive)',
            limit: `${q.firehoseDirectPut.mibPerSecond} MiB/s per stream`,
            usage: `${((rate * inputs.archiveEventBytes) / mib).toFixed(2)} MiB/s (${whole(inputs.archiveEventBytes)} bytes an event)`,
            used: (rate * inputs.archiveEventBytes) / mib / q.firehoseDirectPut.mibPerSecond,
            reachedAt: (q.firehoseDirectPut.mibPerSecond * mib) / inputs.archiveEventBytes,
            action: 'request a higher Firehose throughput (Amazon Data Firehose Limits form; records and requests per second rise with it)',
            source: q.firehoseDirectPut.source,
          },
          {
            id: 'archiveRequests',
            kind: 'quota',
            name: 'Firehose Direct PUT requests (the archive)',
            limit: `${whole(q.firehoseDirectPut.requestsPerSecond)} requests/s per stream`,
            usage: `${whole(rate / batch)} PutRecordBatch/s (one per batch of ${batch})`,
            used: rate / batch / q.firehoseDirectPut.requestsPerSecond,
            reachedAt: q.firehoseDirectPut.requestsPerSecond * batch,
            action: 'request a higher Firehose throughput (Amazon Data Firehose Limits form)',
            source: q.firehoseDirectPut.source,
          },
          {
            id: 'archiveRecords',
            kind: 'quota',
            name: 'Firehose Direct PUT records (the archive)',
            limit: `${whole(q.firehoseDirectPut.recordsPerSecond)} records/s per stream`,
            usage: `${whole(rate / batch)} records/s (a batch's lines packed into one record)`,
            used: rate / batch / q.firehoseDirectPut.recordsPerSecond,
            reachedAt: q.firehoseDirectPut.recordsPerSecond * batch,
            action: 'request a higher Firehose throughput (Amazon Data Firehose Limits form)',
            source: q.firehoseDirectPut.source,
          },
        ];

  const limits: Limit[] = [
    {
      id: 'apiThrottleRateLimit',
      kind: 'setting',
      name: "the API's throttle (apiThrottleRateLimit)",
      limit: `${whole(settings.apiThrottleRateLimit)} requests/s (default)`,
      usage: `${whole(rate)} requests/s`,
      used: rate / settings.apiThrottleRateLimit,
      reachedAt: settings.apiThrottleRateLimit,
      action: 'raise apiThrottleRateLimit and apiThrottleBurstLimit; beyond it providers get 429 and retry',
    },
    {
      id: 'apiThrottleBurstLimit',
      kind: 'setting',
      name: "the settings' bound on the API's throttle",
      limit: `apiThrottleBurstLimit at most ${whole(throttleMaximum)} and at least apiThrottleRateLimit (infra/config.ts)`,
      usage: `${whole(rate)} requests/s`,
      used: rate / throttleMaximum,
      reachedAt: throttleMaximum,
      action: `the settings cannot express a steady throttle above ${whole(throttleMaximum)}/s: infra/config.ts would have to allow a burst below the rate (API Gateway does)`,
    },
    {
      id: 'apiGatewayAccountThrottle',
      kind: 'quota',
      name: 'API Gateway account throttle',
      limit: `${whole(q.apiGatewayAccountRps.value)} requests/s per region, all APIs of the account (burst ${whole(q.apiGatewayAccountRps.burst)})`,
      usage: `${whole(rate)} requests/s`,
      used: rate / q.apiGatewayAccountRps.value,
      reachedAt: q.apiGatewayAccountRps.value,
      action: 'request a higher throttle quota (Service Quotas › Amazon API Gateway › Throttle rate, L-8A5B8E43)',
      source: q.apiGatewayAccountRps.source,
    },
    {
      id: 'lambdaSyncInvocations',
      kind: 'quota',
      name: 'Lambda synchronous invocations of one receiver',
      limit: `${q.lambdaSyncRpsPerEnvironment.value} requests/s per execution environment its concurrency allows: ${whole(q.lambdaSyncRpsPerEnvironment.value * accountConcurrency)}/s with the account's ${whole(accountConcurrency)}`,
      usage: `${whole(rate)} invocations/s if every delivery comes from one provider`,
      used: rate / (q.lambdaSyncRpsPerEnvironment.value * accountConcurrency),
      reachedAt: q.lambdaSyncRpsPerEnvironment.value * accountConcurrency,
      action: 'request more Concurrent executions (each one allows 10 more invocations a second); a reserved receiver gets 10 x its reservation',
      source: q.lambdaSyncRpsPerEnvironment.source,
    },
    {
      id: 'lambdaConcurrentExecutions',
      kind: 'quota',
      name: 'Lambda concurrent executions',
      limit: `${whole(accountConcurrency)} per region, every function of the account`,
      usage: `${whole(totalConcurrency)} (receivers ${whole(receiverConcurrency)}, worker ${whole(workerConcurrency)})`,
      used: totalConcurrency / accountConcurrency,
      reachedAt: accountReachedAt,
      action: 'request more Concurrent executions (Service Quotas › AWS Lambda, L-B99A9384) and set accountConcurrencyLimit to it',
      source: q.lambdaConcurrentExecutions.source,
    },
    {
      id: 'sqsFifoSendMessage',
      kind: 'quota',
      name: 'SQS FIFO high-throughput SendMessage',
      limit: `${whole(q.sqsFifoHighThroughputTps.value)} calls/s per API action in high-throughput mode, which the stack's queue is in (${whole(q.sqsFifoHighThroughputTps.withoutHighThroughput)} without it)`,
      usage: `${whole(rate)} SendMessage/s (one per delivery); ReceiveMessage and DeleteMessageBatch ${whole(rate / batch)}/s each`,
      used: rate / q.sqsFifoHighThroughputTps.value,
      reachedAt: q.sqsFifoHighThroughputTps.value,
      action: 'ask AWS Support for a higher high-throughput FIFO quota; the receivers send one message per delivery',
      source: q.sqsFifoHighThroughputTps.source,
    },
    {
      id: 'workerMaxConcurrency',
      kind: 'setting',
      name: "the worker's concurrency (workerMaxConcurrency)",
      limit: `${whole(settings.workerMaxConcurrency)} invocations (default; the setting allows 2-${bounds.workerMaxConcurrency})`,
      usage: `${workerNeed.toFixed(1)} invocations busy on average`,
      used: workerNeed / settings.workerMaxConcurrency,
      reachedAt: settings.workerMaxConcurrency * perInvocationRate,
      action: 'raise workerMaxConcurrency; beyond it events wait in the queue (the queue-age alarm fires)',
    },
    ...(conversations === undefined
      ? []
      : [
          {
            id: 'conversations',
            kind: 'conversations' as const,
            name: 'the conversations, each in order (FIFO message groups)',
            limit: `${conversationsText(conversations)}, each ${perConversationRate.toFixed(1)} events/s at most (its events run one after another)`,
            usage: `${(rate / conversations).toFixed(1)} events/s per conversation on average`,
            used: rate / (conversations * perConversationRate),
            reachedAt: conversations * perConversationRate,
            action: 'nothing to set: ordering is per conversation; a shorter handler is the only lever',
          },
        ]),
    ...archiveLimits,
    {
      id: 'idempotencyTable',
      kind: 'quota',
      name: 'DynamoDB on-demand table (idempotency records)',
      limit: `${whole(q.dynamoDbOnDemand.tableRequestUnits)} write request units/s per table (${whole(q.dynamoDbOnDemand.partitionWriteUnits)} per partition; the records' keys are event ids, spread over partitions)`,
      usage: `${whole(2 * rate)} write units/s (two writes under 1 KB per event)`,
      used: (2 * rate) / q.dynamoDbOnDemand.tableRequestUnits,
      reachedAt: q.dynamoDbOnDemand.tableRequestUnits / 2,
      action: 'request a higher per-table throughput quota (Service Quotas › Amazon DynamoDB › Table-level write throughput limit)',
      source: q.dynamoDbOnDemand.source,
    },
    {
      id: 'parkTable',
      kind: 'quota',
      name: 'DynamoDB on-demand table (park table reads)',
      limit: `${whole(q.dynamoDbOnDemand.tableRequestUnits)} read request units/s per table`,
      usage: `at most ${whole(rate)} read units/s (a consistent read of each conversation of a batch)`,
      used: rate / q.dynamoDbOnDemand.tableRequestUnits,
      reachedAt: q.dynamoDbOnDemand.tableRequestUnits,
      action: 'request a higher per-table throughput quota (Service Quotas › Amazon DynamoDB › Table-level read throughput limit)',
      source: q.dynamoDbOnDemand.source,
    },
    {
      id: 'secretsManager',
      kind: 'quota',
      name: 'Secrets Manager GetSecretValue',
      limit: `${whole(q.secretsManagerGetSecretValue.value)} calls/s per region`,
      usage: `${secretCallsPerSecond.toFixed(2)} calls/s (each receiver environment reads its secret once per ${inputs.secretsMaxAgeSeconds} s, lib/secrets)`,
      used: secretCallsPerSecond / q.secretsManagerGetSecretValue.value,
      reachedAt: (q.secretsManagerGetSecretValue.value * inputs.secretsMaxAgeSeconds) / (receiverMs / 1000),
      action: 'none needed: the receivers cache the secret',
      source: q.secretsManagerGetSecretValue.source,
    },
    {
      id: 'cloudWatchLogs',
      kind: 'quota',
      name: 'CloudWatch Logs PutLogEvents',
      limit: 'no per-stream limit since AWS removed it; Lambda and API Gateway deliver the logs',
      usage: 'no PutLogEvents call of the gateway',
      used: null,
      reachedAt: null,
      action: 'none: logs cost money at this rate (see the monthly cost), not a quota',
      source: q.cloudWatchLogsPutLogEvents.source,
    },
  ];

  const order = (limit: Limit) => PIPELINE.indexOf(limit.id);
  const sorted = [...limits].sort((a, b) => (a.reachedAt ?? Infinity) - (b.reachedAt ?? Infinity) || order(a) - order(b));
  const firstOf = (items: readonly Limit[]) => {
    const first = items.find((limit) => limit.reachedAt !== null);
    if (!first || first.reachedAt === null) throw new Error('capacity: no limit is reached at any rate');
    return { id: first.id, name: first.name, reachedAt: first.reachedAt };
  };

  // ------------------------------------------------------------------------------------------ settings
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

  // ------------------------------------------------------------------------------------------ quota increases
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
      need: inputs.archive === 's3' ? rate / batch : (rate * inputs.archiveEventBytes) / mib,
      unit: inputs.archive === 's3' ? 'PutObject/s' : 'MiB/s',
      current: inputs.archive === 's3' ? q.s3PutPerPrefix.value : q.firehoseDirectPut.mibPerSecond,
      where: inputs.archive === 's3' ? 'none to request: S3 partitions the prefix by itself' : 'Amazon Data Firehose Limits form (throughput per stream)',
    },
    archiveRequests: { need: rate / batch, unit: 'requests/s', current: q.firehoseDirectPut.requestsPerSecond, where: 'Amazon Data Firehose Limits form' },
    archiveRecords: { need: rate / batch, unit: 'records/s', current: q.firehoseDirectPut.recordsPerSecond, where: 'Amazon Data Firehose Limits form' },
    idempotencyTable: {
      need: 2 * rate,
      unit: 'write request units/s',
      current: q.dynamoDbOnDemand.tableRequestUnits,
      where: 'Service Quotas › Amazon DynamoDB › Table-level write throughput limit',
    },
    parkTable: {
      need: rate,
      unit: 'read request units/s',
      current: q.dynamoDbOnDemand.tableRequestUnits,
      where: 'Service Quotas › Amazon DynamoDB › Table-level read throughput limit',
    },
  };
  const reached = sorted.filter((limit) => limit.reachedAt !== null && limit.reachedAt <= rate);
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
  // What neither a setting nor a quota increase lifts: the conversations, and the settings' own bounds.
  const ceilings = reached.filter(
    (limit) =>
      limit.kind === 'conversations' ||
      limit.id === 'apiThrottleBurstLimit' ||
      (limit.id === 'workerMaxConcurrency' && workerSuggested * perInvocationRate < rate),
  );

  const ramps: RampLimit[] = [
    {
      id: 'lambdaScalingRate',
      name: 'Lambda scaling rate',
      limit: `${whole(q.lambdaScalingRate.value)} new execution environments per function every ${q.lambdaScalingRate.perSeconds} s`,
      atThisRate: `a receiver taking every delivery needs ${whole(Math.max(receiverConcurrency, rate / q.lambdaSyncRpsPerEnvironment.value))} environments' worth: ${
        rate <= 10 * q.lambdaScalingRate.value
          ? `at most ${q.lambdaScalingRate.perSeconds} s from idle`
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
        2 * rate <= q.dynamoDbOnDemand.newTableWriteUnits
          ? `${whole(2 * rate)} write units/s: within a new table's first peak`
          : `${whole(2 * rate)} write units/s: ramp up over ${Math.ceil(Math.log2((2 * rate) / q.dynamoDbOnDemand.newTableWriteUnits)) * 30} minutes, or pre-warm the idempotency table (warm throughput)`,
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

  return {
    request: { rate, handlerMs, conversations: conversations ?? null },
    perEvent: { receiverMs, workerBatchFixedMs, workerPerEventMs, eventsPerConversationInBatch, workerBatchMs },
    concurrency: { receivers: receiverConcurrency, worker: workerConcurrency, total: totalConcurrency },
    limits: sorted,
    firstQuota: firstOf(sorted.filter((limit) => limit.kind === 'quota')),
    firstLimitWithDefaults: firstOf(sorted),
    settings: settingChanges,
    quotaIncreases,
    ceilings,
    carried: ceilings.length === 0,
    ramps,
    cost: monthlyCostAt(rate, cost, batch),
    assumptions: [
      `Measured: ${inputs.measured}.`,
      `Receiver: ${inputs.receiverCpuMs.toFixed(2)} ms CPU per delivery at ${cpuShare(inputs.receiverMemoryMb).toFixed(2)} vCPU (${inputs.receiverMemoryMb} MB), plus ${inputs.sendLatencyMs} ms for SendMessage (assumed by the cost model): ${receiverMs.toFixed(1)} ms an invocation.`,
      `Worker, per batch of ${batch}: ${inputs.workerBatchCalls.toFixed(1)} awaited calls (the archive write, the park table's read) and ${workerCpuMs.toFixed(1)} ms CPU at ${cpuShare(inputs.workerMemoryMb).toFixed(2)} vCPU: ${workerBatchFixedMs.toFixed(1)} ms; per event ${inputs.workerEventCalls.toFixed(1)} awaited calls (the idempotency records) and the handler (${handlerMs} ms): ${workerPerEventMs.toFixed(1)} ms; each call ${inputs.storeLatencyMs} ms (assumed by the cost model).`,
      conversations === undefined
        ? `Many conversations: full batches of ${batch} events of ${batch} conversations, run in parallel: ${workerBatchMs.toFixed(1)} ms a batch.`
        : `${conversationsText(conversations)}: ${eventsPerConversationInBatch} events of each in a batch of ${batch}, one after another: ${workerBatchMs.toFixed(1)} ms a batch; a conversation carries at most ${perConversationRate.toFixed(1)} events/s.`,
      'Concurrency is rate x duration (Little\'s law); settings get twice the steady need, for bursts; a quota increase asks for the need and half again.',
      'Every delivery may come from one provider (one receiver function); deliveries are under 64 KB and events under 1 KB in DynamoDB.',
      'Quotas are the default ones in us-east-1 (other regions: see each source); the cost is us-east-1 list prices over a month of 730 hours.',
    ],
  };
}
