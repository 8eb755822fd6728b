/**
 * The cost model: what a million deliveries and an idle month cost in AWS, computed from list prices and the
 * measured inputs `npm run cost` records (`dev/cost/measured.json`). Pure: no I/O, so the table in docs/costs.md,
 * the cost command and the capacity planner all compute the same numbers from the same inputs.
 */
import { z } from 'zod';

/** A list price with where it was read and when. */
export interface Price {
  readonly dollars: number;
  readonly per: string;
  readonly source: string;
  readonly read: string;
}

const READ = '2026-12-07';

/** us-east-1 list prices. Free tiers are left out. */
export const PRICES = {
  apiGatewayHttpRequest: { dollars: 1.0 / 1e6, per: 'HTTP API request (first 300 million a month)', source: 'https://aws.amazon.com/api-gateway/pricing/', read: READ },
  lambdaRequest: { dollars: 0.2 / 1e6, per: 'Lambda request', source: 'https://aws.amazon.com/lambda/pricing/', read: READ },
  lambdaArmGbSecond: { dollars: 0.0000133334, per: 'GB-second, arm64 (first 7.5 billion a month)', source: 'https://aws.amazon.com/lambda/pricing/', read: READ },
  sqsFifoRequest: { dollars: 0.5 / 1e6, per: 'SQS FIFO request (each 64 KB chunk of a payload one request)', source: 'https://aws.amazon.com/sqs/pricing/', read: READ },
  logsIngestedGb: { dollars: 0.5, per: 'GB of CloudWatch Logs ingested (Standard log class; EMF documents included)', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: READ },
  logsIngestedGbInfrequentAccess: { dollars: 0.25, per: 'GB of CloudWatch Logs ingested (Infrequent Access log class)', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: READ },
  customMetricMonth: { dollars: 0.3, per: 'custom metric a month (first 10,000; pro rata by the hour it receives data)', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: READ },
  alarmMonth: { dollars: 0.1, per: 'standard-resolution alarm metric a month', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: READ },
  dashboardMonth: { dollars: 3.0, per: 'dashboard a month beyond the account’s first three', source: 'https://aws.amazon.com/cloudwatch/pricing/', read: READ },
  secretMonth: { dollars: 0.4, per: 'secret a month', source: 'https://aws.amazon.com/secrets-manager/pricing/', read: READ },
  kmsKeyMonth: { dollars: 1.0, per: 'customer managed KMS key a month', source: 'https://aws.amazon.com/kms/pricing/', read: READ },
  dynamoWriteUnit: { dollars: 0.625 / 1e6, per: 'DynamoDB on-demand write request unit (1 KB)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/', read: READ },
  dynamoReadUnit: { dollars: 0.125 / 1e6, per: 'DynamoDB on-demand read request unit (4 KB strongly consistent)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/', read: READ },
  dynamoWcuHour: { dollars: 0.00065, per: 'DynamoDB provisioned write capacity unit-hour', source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/', read: READ },
  dynamoRcuHour: { dollars: 0.00013, per: 'DynamoDB provisioned read capacity unit-hour', source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/', read: READ },
  firehoseIngestedGb: { dollars: 0.029, per: 'GB ingested by Firehose Direct PUT, each record rounded up to 5 KB (first 500 TB a month)', source: 'https://aws.amazon.com/firehose/pricing/', read: READ },
  s3PutRequest: { dollars: 0.005 / 1000, per: 'S3 Standard PUT request', source: 'https://aws.amazon.com/s3/pricing/', read: READ },
  s3StandardGbMonth: { dollars: 0.023, per: 'GB-month of S3 Standard (first 50 TB)', source: 'https://aws.amazon.com/s3/pricing/', read: READ },
} as const satisfies Record<string, Price>;

/** Firehose bills each record in steps of 5 KB. */
export const FIREHOSE_BILLING_STEP_BYTES = 5 * 1024;
/**
 * Lambda gives a function CPU in proportion to its memory: 1,769 MB is one vCPU.
 * @public the capacity planner (dev/capacity) reads it too
 */
export const ONE_VCPU_MB = 1769;
/** Hours in a month as AWS prices them (730), and its seconds. */
const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** The CloudWatch alarms Application Auto Scaling makes for a DynamoDB target-tracking policy (consumed high and low, provisioned high and low). */
export const AUTO_SCALING_ALARMS_PER_POLICY = 4;
/** Lambda's SQS event source long-polls an empty queue with this many pollers, each a 20 s poll: 3 requests a minute each. */
const SQS_IDLE_POLLERS = 5;

/** One shape of traffic as the worker sees it: how many events each invocation gets, and what a batch measured. */
const ShapeSchema = z.object({
  /** Events per worker invocation (10 busy, 1 trickle). */
  eventsPerBatch: z.number().positive(),
  /** CPU time of one batch in the worker bundle, median, ms. */
  cpuMsPerBatch: z.number().nonnegative(),
  /** Bytes the worker wrote to its log per batch (JSON lines and EMF documents), median. */
  logBytesPerBatch: z.number().nonnegative(),
  /** AWS calls the worker made per batch (DynamoDB, S3, Firehose). */
  storeCallsPerBatch: z.number().nonnegative(),
  /** Round trips per batch the worker waited for, calls made side by side counted once (measured with slow answers). */
  storeRoundTripsPerBatch: z.number().nonnegative(),
  /** DynamoDB write request units per batch on the idempotency table (each item under 1 KB: one unit a write). */
  idempotencyWriteUnitsPerBatch: z.number().nonnegative(),
  /** Read request units per batch on the idempotency table. */
  idempotencyReadUnitsPerBatch: z.number().nonnegative(),
  /** Read request units per batch on the park table (a consistent read of each of the batch's conversations). */
  parkReadUnitsPerBatch: z.number().nonnegative(),
  /** Bytes of the batch's archive lines, uncompressed: what goes to Firehose as one record (or more, each ≤ 1,000 KiB). */
  archiveBytesPerBatch: z.number().nonnegative(),
  /** Bytes of the batch's archive lines gzip-compressed, as stored. */
  archiveStoredBytesPerBatch: z.number().nonnegative(),
});
export type TrafficShape = z.infer<typeof ShapeSchema>;

/** What `npm run cost` measures (and the few figures it assumes, each said where). */
export const CostInputsSchema = z.object({
  measuredAt: z.string(),
  receiver: z.object({
    /** The costliest provider's receiver. */
    provider: z.string(),
    memoryMb: z.number().positive(),
    /** CPU time of a warm delivery, median, ms. */
    cpuMs: z.number().nonnegative(),
    /** Bytes written to the log per delivery (the INFO line and the EMF document), the largest provider's median. */
    logBytes: z.number().nonnegative(),
    /** Bytes of Lambda's own log lines per invocation at the function's system log level (0 at WARN). */
    platformLogBytes: z.number().nonnegative(),
    /** The largest message a sample delivery put on the queue, bytes (SQS bills each 64 KB a request). */
    messageBytes: z.number().nonnegative(),
  }),
  worker: z.object({
    memoryMb: z.number().positive(),
    batchSize: z.number().int().positive(),
    platformLogBytes: z.number().nonnegative(),
    busy: ShapeSchema,
    trickle: ShapeSchema,
  }),
  /** One HTTP API access log line of the stack's format for a 200 answer, bytes. */
  accessLogBytes: z.number().nonnegative(),
  /** The access log group's class, priced per GB ingested by class (inputs kept before it was read: Standard). */
  accessLogClass: z.enum(['STANDARD', 'INFREQUENT_ACCESS']).default('STANDARD'),
  /** Assumed: a same-region call to SQS (`SendMessage`), ms, added to the receiver's CPU time. */
  sendLatencyMs: z.number().nonnegative(),
  /** Assumed: a same-region call to DynamoDB, S3 or Firehose, ms, for each round trip the worker waits for. */
  storeLatencyMs: z.number().nonnegative(),
  /** The idempotency table's billing: on-demand, or provisioned with auto scaling between `min` and `max` units. */
  idempotencyCapacity: z.union([
    z.object({ mode: z.literal('on-demand') }),
    z.object({ mode: z.literal('provisioned'), minWriteUnits: z.number().int().positive(), minReadUnits: z.number().int().positive(), targetUtilization: z.number().positive().max(1) }),
  ]),
  /** What the synthesised stack holds that costs by the month, counted in its template. */
  stack: z.object({
    secrets: z.number().int().nonnegative(),
    kmsKeys: z.number().int().nonnegative(),
    alarms: z.number().int().nonnegative(),
    /** What alarms are billed by: a metric-math alarm counts each metric it reads (inputs kept before: one an alarm). */
    alarmMetrics: z.number().int().nonnegative().optional(),
    dashboards: z.number().int().nonnegative(),
    sqsEventSources: z.number().int().nonnegative(),
    archiveKept: z.enum(['firehose', 's3']),
  }),
  /** Custom metrics (name and dimensions) the measured deliveries published, counted in their EMF documents. */
  customMetrics: z.number().int().nonnegative(),
});
export type CostInputs = z.infer<typeof CostInputsSchema>;

/** A synthesised template's resources, as much of them as the cost model reads. */
type Resources = Readonly<Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>>;

/**
 * What the stack holds that costs by the month, counted in its template: the one reading of it, for `npm run cost`
 * and the test that holds the kept inputs to the stack as it is.
 *
 * @param resources - the template's `Resources`
 */
export function monthlyResources(resources: Resources): CostInputs['stack'] {
  const all = Object.values(resources);
  const ofType = (type: string) => all.filter((resource) => resource.Type === type);
  // A single-metric alarm reads one metric; a metric-math alarm each of its queries that reads one (its MetricStat).
  const metricsOf = (alarm: (typeof all)[number]) => {
    const queries = alarm.Properties?.Metrics as readonly { readonly MetricStat?: unknown }[] | undefined;
    return queries === undefined ? 1 : queries.filter((query) => query.MetricStat !== undefined).length;
  };
  const alarms = ofType('AWS::CloudWatch::Alarm');
  return {
    secrets: ofType('AWS::SecretsManager::Secret').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, alarm) => sum + metricsOf(alarm), 0),
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    sqsEventSources: ofType('AWS::Lambda::EventSourceMapping').length,
    archiveKept: ofType('AWS::KinesisFirehose::DeliveryStream').length > 0 ? 'firehose' : 's3',
  };
}

/** One line of the table: what it costs per million deliveries in each shape. */
interface CostRow {
  readonly item: string;
  /** What one delivery takes, from which measurement. */
  readonly basis: string;
  readonly busy: number;
  readonly trickle: number;
}

/** One line of the idle month. */
interface IdleRow {
  readonly item: string;
  readonly basis: string;
  readonly monthly: number;
}

export interface CostModel {
  readonly busyPerMillion: number;
  readonly tricklePerMillion: number;
  /** What the stack costs a month with no traffic at all. */
  readonly idleMonthly: number;
  /** What the custom metrics add in a month in which every one of them receives data. */
  readonly metricsMonthly: number;
  readonly rows: readonly CostRow[];
  readonly idle: readonly IdleRow[];
  /** Dollars per million deliveries when the worker gets `eventsPerBatch` events an invocation (1 to the batch size). */
  perMillion(eventsPerBatch: number): number;
  /**
   * The monthly cost at a steady `deliveriesPerSecond`: the idle month, the metrics, and the deliveries. The worker's
   * batches fill with what arrives in about a second, up to the batch size, unless `eventsPerBatch` is given.
   */
  monthlyCost(deliveriesPerSecond: number, options?: { readonly eventsPerBatch?: number }): number;
}

const MILLION = 1e6;
const GB = 1e9;
const cpuShare = (memoryMb: number): number => Math.min(1, memoryMb / ONE_VCPU_MB);
/** Lambda bills whole milliseconds per invocation. */
const billedMs = (cpuMs: number, memoryMb: number, waitMs: number): number => Math.ceil(cpuMs / cpuShare(memoryMb) + waitMs);
const lambdaDollars = (ms: number, memoryMb: number): number => (ms / 1000) * (memoryMb / 1024) * PRICES.lambdaArmGbSecond.dollars;
const firehoseBilledBytes = (bytes: number): number => Math.ceil(bytes / FIREHOSE_BILLING_STEP_BYTES) * FIREHOSE_BILLING_STEP_BYTES;
const round = (value: number, digits: number): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** Interpolates a measured per-batch figure between the trickle (1 event) and busy (full batch) shapes. */
function shapeAt(inputs: CostInputs, eventsPerBatch: number): TrafficShape {
  const { busy, trickle } = inputs.worker;
  const n = Math.min(busy.eventsPerBatch, Math.max(trickle.eventsPerBatch, eventsPerBatch));
  const span = busy.eventsPerBatch - trickle.eventsPerBatch;
  const t = span === 0 ? 0 : (n - trickle.eventsPerBatch) / span;
  const mix = (key: Exclude<keyof TrafficShape, 'eventsPerBatch'>) => trickle[key] + (busy[key] - trickle[key]) * t;
  return {
    eventsPerBatch: n,
    cpuMsPerBatch: mix('cpuMsPerBatch'),
    logBytesPerBatch: mix('logBytesPerBatch'),
    storeCallsPerBatch: mix('storeCallsPerBatch'),
    storeRoundTripsPerBatch: mix('storeRoundTripsPerBatch'),
    idempotencyWriteUnitsPerBatch: mix('idempotencyWriteUnitsPerBatch'),
    idempotencyReadUnitsPerBatch: mix('idempotencyReadUnitsPerBatch'),
    parkReadUnitsPerBatch: mix('parkReadUnitsPerBatch'),
    archiveBytesPerBatch: mix('archiveBytesPerBatch'),
    archiveStoredBytesPerBatch: mix('archiveStoredBytesPerBatch'),
  };
}

/** Per delivery, each item in dollars, for one shape; `basis` says what it was computed from. */
function itemsFor(inputs: CostInputs, shape: TrafficShape): { item: string; basis: string; dollars: number }[] {
  const { receiver, worker } = inputs;
  const n = shape.eventsPerBatch;
  const receiverMs = billedMs(receiver.cpuMs, receiver.memoryMb, inputs.sendLatencyMs);
  const sqsChunks = Math.max(1, Math.ceil(receiver.messageBytes / 65_536));
  const workerWaitMs = shape.storeRoundTripsPerBatch * inputs.storeLatencyMs;
  const workerMs = billedMs(shape.cpuMsPerBatch, worker.memoryMb, workerWaitMs);
  const logBytes = receiver.logBytes + receiver.platformLogBytes + inputs.accessLogBytes + (shape.logBytesPerBatch + worker.platformLogBytes) / n;
  const accessLogInfrequent = inputs.accessLogClass === 'INFREQUENT_ACCESS';
  const accessLogPrice = accessLogInfrequent ? PRICES.logsIngestedGbInfrequentAccess : PRICES.logsIngestedGb;
  const capacity = inputs.idempotencyCapacity;
  // Provisioned: a unit-hour serves 3,600 writes at full use; auto scaling keeps use near its target.
  const writeUnitDollars = capacity.mode === 'on-demand' ? PRICES.dynamoWriteUnit.dollars : PRICES.dynamoWcuHour.dollars / 3600 / capacity.targetUtilization;
  const readUnitDollars = capacity.mode === 'on-demand' ? PRICES.dynamoReadUnit.dollars : PRICES.dynamoRcuHour.dollars / 3600 / capacity.targetUtilization;
  const archiveFirehose = inputs.stack.archiveKept === 'firehose';
  return [
    { item: 'API Gateway HTTP API', basis: '1 request', dollars: PRICES.apiGatewayHttpRequest.dollars },
    { item: 'Receiver Lambda requests', basis: '1 invocation', dollars: PRICES.lambdaRequest.dollars },
    {
      item: `Receiver Lambda compute (${receiver.memoryMb} MB arm64)`,
      basis: `${receiverMs} ms billed: ${round(receiver.cpuMs, 2)} ms CPU measured (${receiver.provider}, the costliest) ÷ ${round(cpuShare(receiver.memoryMb), 2)} vCPU + ${inputs.sendLatencyMs} ms SendMessage (assumed)`,
      dollars: lambdaDollars(receiverMs, receiver.memoryMb),
    },
    {
      item: 'SQS FIFO requests',
      basis: `${sqsChunks} SendMessage (messages up to ${round(receiver.messageBytes / 1024, 1)} KB measured); Lambda's ReceiveMessage and DeleteMessageBatch once per batch (of 10 busy, of 1 trickle)`,
      dollars: (sqsChunks + 2 / n) * PRICES.sqsFifoRequest.dollars,
    },
    { item: 'Worker Lambda requests', basis: '1 per batch', dollars: PRICES.lambdaRequest.dollars / n },
    {
      item: `Worker Lambda compute (${worker.memoryMb} MB arm64)`,
      basis: `${workerMs} ms billed per batch: ${round(shape.cpuMsPerBatch, 2)} ms CPU measured (the sample handlers) + ${round(shape.storeRoundTripsPerBatch, 1)} round trips measured (${round(shape.storeCallsPerBatch, 1)} AWS calls, some side by side) × ${inputs.storeLatencyMs} ms (assumed)`,
      dollars: lambdaDollars(workerMs, worker.memoryMb) / n,
    },
    {
      item: 'CloudWatch Logs ingestion',
      basis:
        `${round(logBytes, 0)} bytes measured: receiver ${round(receiver.logBytes, 0)} (its lines at the stack's log level and its EMF document), worker ${round(shape.logBytesPerBatch / n, 0)} per event, ` +
        `Lambda's platform lines ${round(receiver.platformLogBytes + worker.platformLogBytes / n, 0)}, the access log line ${round(inputs.accessLogBytes, 0)}` +
        (accessLogInfrequent ? ` (Infrequent Access class, $${accessLogPrice.dollars} per GB)` : ''),
      dollars: ((logBytes - inputs.accessLogBytes) / GB) * PRICES.logsIngestedGb.dollars + (inputs.accessLogBytes / GB) * accessLogPrice.dollars,
    },
    {
      item: `DynamoDB idempotency records (${capacity.mode})`,
      basis: `${round(shape.idempotencyWriteUnitsPerBatch / n, 2)} write and ${round(shape.idempotencyReadUnitsPerBatch / n, 2)} read units per event measured`,
      dollars: (shape.idempotencyWriteUnitsPerBatch * writeUnitDollars + shape.idempotencyReadUnitsPerBatch * readUnitDollars) / n,
    },
    {
      item: 'DynamoDB park table reads (on-demand)',
      basis: `${round(shape.parkReadUnitsPerBatch / n, 2)} read units per event measured (a consistent read of each conversation of a batch)`,
      dollars: (shape.parkReadUnitsPerBatch * PRICES.dynamoReadUnit.dollars) / n,
    },
    archiveFirehose
      ? {
          item: 'Archive: Firehose ingestion',
          basis: `${round(shape.archiveBytesPerBatch / n, 0)} bytes of archive lines per event measured, one record per batch billed as ${round(firehoseBilledBytes(shape.archiveBytesPerBatch) / 1024, 0)} KB`,
          dollars: (firehoseBilledBytes(shape.archiveBytesPerBatch) / n / GB) * PRICES.firehoseIngestedGb.dollars,
        }
      : { item: 'Archive: S3 PUT requests', basis: '1 PutObject per batch', dollars: PRICES.s3PutRequest.dollars / n },
    {
      item: 'Archive: S3 Standard storage, first month',
      basis: `${round(shape.archiveStoredBytesPerBatch / n, 0)} bytes per event gzip-compressed, measured`,
      dollars: (shape.archiveStoredBytesPerBatch / n / GB) * PRICES.s3StandardGbMonth.dollars,
    },
  ];
}

/**
 * Computes the table, the totals and the idle month from the measured inputs.
 *
 * @example costModel(inputs).busyPerMillion // 2.95
 */
export function costModel(raw: CostInputs): CostModel {
  const inputs = CostInputsSchema.parse(raw);
  const busy = itemsFor(inputs, inputs.worker.busy);
  const trickle = itemsFor(inputs, inputs.worker.trickle);
  const rows: CostRow[] = busy.map((row, i) => {
    const other = trickle[i];
    const sameBasis = other?.basis === row.basis;
    return { item: row.item, basis: sameBasis ? row.basis : `busy: ${row.basis}; trickle: ${other?.basis ?? ''}`, busy: row.dollars * MILLION, trickle: (other?.dollars ?? 0) * MILLION };
  });
  const { stack } = inputs;
  const alarmMetrics = stack.alarmMetrics ?? stack.alarms;
  const capacity = inputs.idempotencyCapacity;
  const idle: IdleRow[] = [
    { item: 'Secrets Manager secrets', basis: `${stack.secrets} (one per provider) × $${PRICES.secretMonth.dollars.toFixed(2)}`, monthly: stack.secrets * PRICES.secretMonth.dollars },
    { item: 'KMS keys', basis: `${stack.kmsKeys} × $${PRICES.kmsKeyMonth.dollars.toFixed(2)}`, monthly: stack.kmsKeys * PRICES.kmsKeyMonth.dollars },
    {
      item: 'CloudWatch alarms',
      basis: `${alarmMetrics} alarm metrics (${stack.alarms} alarms, a metric-math alarm billed for each metric it reads) × $${PRICES.alarmMonth.dollars.toFixed(2)}`,
      monthly: alarmMetrics * PRICES.alarmMonth.dollars,
    },
    { item: 'CloudWatch dashboard', basis: `${stack.dashboards} × $${PRICES.dashboardMonth.dollars.toFixed(2)} (free when the account has fewer than three)`, monthly: stack.dashboards * PRICES.dashboardMonth.dollars },
    {
      item: "SQS: Lambda's long polls of the empty queue",
      basis: `${stack.sqsEventSources} event source × ${SQS_IDLE_POLLERS} pollers × 3 ReceiveMessage a minute`,
      monthly: stack.sqsEventSources * SQS_IDLE_POLLERS * 3 * 60 * HOURS_PER_MONTH * PRICES.sqsFifoRequest.dollars,
    },
    ...(capacity.mode === 'provisioned'
      ? [
          {
            item: 'DynamoDB idempotency table, provisioned minimum',
            basis: `${capacity.minWriteUnits} WCU + ${capacity.minReadUnits} RCU × ${HOURS_PER_MONTH} h`,
            monthly: (capacity.minWriteUnits * PRICES.dynamoWcuHour.dollars + capacity.minReadUnits * PRICES.dynamoRcuHour.dollars) * HOURS_PER_MONTH,
          },
          {
            item: "Auto scaling's alarms (made by AWS, not in the template)",
            basis: `2 policies × ${AUTO_SCALING_ALARMS_PER_POLICY} × $${PRICES.alarmMonth.dollars.toFixed(2)}`,
            monthly: 2 * AUTO_SCALING_ALARMS_PER_POLICY * PRICES.alarmMonth.dollars,
          },
        ]
      : [{ item: 'DynamoDB tables (on-demand)', basis: 'nothing while unused (storage aside)', monthly: 0 }]),
  ];
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const idleMonthly = sum(idle.map((row) => row.monthly));
  const metricsMonthly = inputs.customMetrics * PRICES.customMetricMonth.dollars;
  const perMillion = (eventsPerBatch: number) => sum(itemsFor(inputs, shapeAt(inputs, eventsPerBatch)).map((item) => item.dollars)) * MILLION;
  return {
    busyPerMillion: sum(rows.map((row) => row.busy)),
    tricklePerMillion: sum(rows.map((row) => row.trickle)),
    idleMonthly,
    metricsMonthly,
    rows,
    idle,
    perMillion,
    monthlyCost(deliveriesPerSecond, options = {}) {
      if (!(deliveriesPerSecond >= 0)) throw new RangeError(`A rate of deliveries is a number ≥ 0, not ${String(deliveriesPerSecond)}`);
      if (deliveriesPerSecond === 0) return idleMonthly;
      const eventsPerBatch = options.eventsPerBatch ?? Math.min(inputs.worker.batchSize, Math.max(1, deliveriesPerSecond));
      return idleMonthly + metricsMonthly + (deliveriesPerSecond * SECONDS_PER_MONTH * perMillion(eventsPerBatch)) / MILLION;
    },
  };
}
