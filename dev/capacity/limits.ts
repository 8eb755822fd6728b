/**
 * The limits a steady rate meets, the stack's settings and AWS's quotas: what the rate asks of each, and the rate at
 * which each is reached.
 */
import type { CapacityInputs } from './inputs.js';
import { AWS_QUOTAS, MIB, type QuotaSource } from './quotas.js';
import { conversationsText, whole } from './text.js';
import type { CapacityRequest, Work } from './work.js';

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
 * The highest steady throttle the settings can express (infra/config.ts): apiThrottleBurstLimit is at most its
 * maximum and at least apiThrottleRateLimit, so the rate limit is at most that maximum too.
 */
export function throttleCeiling(inputs: CapacityInputs): number {
  return Math.min(inputs.settingMaximums.apiThrottleRateLimit, inputs.settingMaximums.apiThrottleBurstLimit);
}

/** Every limit at `request`'s rate, by the rate at which it is reached (lowest first; ties in the order a delivery meets them). */
export function limitsAt(request: CapacityRequest, inputs: CapacityInputs, work: Work): Limit[] {
  const { rate, conversations } = request;
  const batch = inputs.batchSize;
  const { receiverMs, workerBatchMs, receiverConcurrency, workerNeed, workerConcurrency, totalConcurrency, perInvocationRate, perConversationRate } = work;
  const { settings } = inputs;
  const bounds = inputs.settingMaximums;
  const throttleMaximum = throttleCeiling(inputs);
  const q = AWS_QUOTAS;
  const accountConcurrency = q.lambdaConcurrentExecutions.value;
  const accountReachedAt = (() => {
    const perDelivery = receiverMs / 1000 + workerBatchMs / (batch * 1000);
    const unbounded = accountConcurrency / perDelivery;
    if (conversations === undefined || (unbounded * workerBatchMs) / (batch * 1000) <= conversations) return unbounded;
    return (accountConcurrency - conversations) / (receiverMs / 1000);
  })();
  const secretCallsPerSecond = Math.max(inputs.receivers, receiverConcurrency) / inputs.secretsMaxAgeSeconds;
  const idempotencyWrites = rate * inputs.idempotencyWriteUnitsPerEvent;
  const parkReads = rate * inputs.parkReadUnitsPerEvent;

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
            usage: `${((rate * inputs.archiveEventBytes) / MIB).toFixed(2)} MiB/s (${whole(inputs.archiveEventBytes)} bytes an event)`,
            used: (rate * inputs.archiveEventBytes) / MIB / q.firehoseDirectPut.mibPerSecond,
            reachedAt: (q.firehoseDirectPut.mibPerSecond * MIB) / inputs.archiveEventBytes,
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
      usage: `${whole(idempotencyWrites)} write units/s (${inputs.idempotencyWriteUnitsPerEvent.toFixed(1)} per event measured)`,
      used: idempotencyWrites / q.dynamoDbOnDemand.tableRequestUnits,
      reachedAt: q.dynamoDbOnDemand.tableRequestUnits / inputs.idempotencyWriteUnitsPerEvent,
      action: 'request a higher per-table throughput quota (Service Quotas › Amazon DynamoDB › Table-level write throughput limit)',
      source: q.dynamoDbOnDemand.source,
    },
    {
      id: 'parkTable',
      kind: 'quota',
      name: 'DynamoDB on-demand table (park table reads)',
      limit: `${whole(q.dynamoDbOnDemand.tableRequestUnits)} read request units/s per table`,
      usage: `${whole(parkReads)} read units/s (${inputs.parkReadUnitsPerEvent.toFixed(1)} per event measured: a consistent read of each conversation of a batch)`,
      used: parkReads / q.dynamoDbOnDemand.tableRequestUnits,
      reachedAt: q.dynamoDbOnDemand.tableRequestUnits / inputs.parkReadUnitsPerEvent,
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
  return sorted;
}
