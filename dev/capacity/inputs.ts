/**
 * What the capacity planner computes from: the per-event times measured by the benchmarks, the latencies assumed
 * for AWS calls (the same ones the cost model assumes), and the stack's settings and topology.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { queueTopology } from '../../lib/queue/topology.js';
import { providers } from '../../lib/providers/registry.js';

/** The per-event times and sizes a plan is computed from; every field in milliseconds or bytes. */
export interface CapacityInputs {
  /** CPU time of one warm delivery in the costliest receiver, measured (bench/results.json). */
  readonly receiverCpuMs: number;
  /** Where {@link receiverCpuMs} was measured. */
  readonly receiverCpuSource: string;
  /** The receivers' memory size (infra/constructs/WebhookReceiverFunction.ts): Lambda gives CPU in proportion (1,769 MB is one vCPU). */
  readonly receiverMemoryMb: number;
  /** One `SendMessage` to SQS FIFO in the same region (assumed, as in bench/cost.ts). */
  readonly sqsSendMs: number;
  /** Worker CPU time per batch of {@link batchSize} events, measured (the sample handlers). */
  readonly workerBatchCpuMs: number;
  /** Where {@link workerBatchCpuMs} was measured. */
  readonly workerBatchCpuSource: string;
  /** The worker's memory size (infra/constructs/EventWorkerFunction.ts). */
  readonly workerMemoryMb: number;
  /** One DynamoDB write in the same region (assumed, as in BENCHMARKS.md's cost table). */
  readonly dynamoDbMs: number;
  /** The archive write of one batch (assumed). */
  readonly archiveWriteMs: number;
  /** How the archive is written: an S3 object per batch, or a Firehose `PutRecordBatch` per batch. */
  readonly archive: 's3' | 'firehose';
  /** One archived event, as a line of the archive, measured on the samples (BENCHMARKS.md). */
  readonly archiveEventBytes: number;
  /** Events per worker invocation (the stack's batch size; Lambda's FIFO maximum). */
  readonly batchSize: number;
  /** Receiver functions, one per provider. */
  readonly receivers: number;
  /** Seconds a receiver keeps its secret before reading it again (`secretsMaxAgeSeconds`). */
  readonly secretsMaxAgeSeconds: number;
  /** The stack's defaults the plan starts from. */
  readonly settings: {
    readonly apiThrottleRateLimit: number;
    readonly apiThrottleBurstLimit: number;
    readonly workerMaxConcurrency: number;
    readonly accountConcurrencyLimit: number;
  };
  /** The largest value each setting accepts (infra/config.ts). */
  readonly settingMaximums: {
    readonly apiThrottleRateLimit: number;
    readonly apiThrottleBurstLimit: number;
    readonly workerMaxConcurrency: number;
  };
}

/** The worker's CPU per batch of 10 sample events, as `npx tsx bench/cost.ts` measured it (BENCHMARKS.md, cost table). */
const WORKER_BATCH_CPU_MS = 0.53;
/** The average archived sample event, in bytes (BENCHMARKS.md, "The archive"). */
const ARCHIVE_EVENT_BYTES = 1_383;

/** The assumptions, in one place: what no benchmark here can measure (AWS's own latencies). */
const ASSUMED = {
  /** bench/cost.ts's `SQS_SEND_LATENCY_MS`: the middle of the commonly observed 10-20 ms. */
  sqsSendMs: 15,
  /** BENCHMARKS.md: "about 2 x 8 ms of waiting per event (same-region DynamoDB)". */
  dynamoDbMs: 8,
  /** A small object or record batch written in the same region: about two SQS round trips. */
  archiveWriteMs: 30,
} as const;

interface BenchReceiverRow {
  readonly receiverCpuUs: number;
}

/** An integer setting in the settings' JSON Schema: its default and bounds. */
const SettingSchema = z.object({ default: z.number(), maximum: z.number() });
/** The settings the planner reads, from `gateway.config.schema.json` (generated from infra/config.ts, whose CDK app a tool may not import). */
const SettingsSchemaSchema = z.object({
  properties: z.object({
    apiThrottleRateLimit: SettingSchema,
    apiThrottleBurstLimit: SettingSchema,
    workerMaxConcurrency: SettingSchema,
    accountConcurrencyLimit: SettingSchema,
    secretsMaxAgeSeconds: SettingSchema,
  }),
});

/**
 * The inputs from the last full `npm run bench` (`bench/results.json`): the receivers' CPU per delivery, the
 * costliest provider's; the settings' defaults and bounds from `gateway.config.schema.json`; the rest from the
 * stack's definitions and {@link ASSUMED}.
 *
 * @param root - the repository's root folder
 */
export async function readCapacityInputs(root: string): Promise<CapacityInputs> {
  const results = JSON.parse(await readFile(join(root, 'bench/results.json'), 'utf8')) as {
    readonly startedAt: string;
    readonly receiverOverhead: { readonly perProvider: Readonly<Record<string, BenchReceiverRow>> };
  };
  const { properties: settings } = SettingsSchemaSchema.parse(JSON.parse(await readFile(join(root, 'gateway.config.schema.json'), 'utf8')));
  const rows = Object.entries(results.receiverOverhead.perProvider);
  const [slug, worst] = rows.reduce((a, b) => (b[1].receiverCpuUs > a[1].receiverCpuUs ? b : a));
  return {
    receiverCpuMs: worst.receiverCpuUs / 1000,
    receiverCpuSource: `bench/results.json (${results.startedAt.slice(0, 10)}): ${slug}, the costliest receiver, CPU per warm delivery`,
    receiverMemoryMb: 1024,
    sqsSendMs: ASSUMED.sqsSendMs,
    workerBatchCpuMs: WORKER_BATCH_CPU_MS,
    workerBatchCpuSource: 'BENCHMARKS.md cost table (npx tsx bench/cost.ts): worker CPU per batch of 10 sample events',
    workerMemoryMb: 512,
    dynamoDbMs: ASSUMED.dynamoDbMs,
    archiveWriteMs: ASSUMED.archiveWriteMs,
    archive: 's3',
    archiveEventBytes: ARCHIVE_EVENT_BYTES,
    batchSize: queueTopology.batchSize,
    receivers: providers.length,
    secretsMaxAgeSeconds: settings.secretsMaxAgeSeconds.default,
    settings: {
      apiThrottleRateLimit: settings.apiThrottleRateLimit.default,
      apiThrottleBurstLimit: settings.apiThrottleBurstLimit.default,
      workerMaxConcurrency: settings.workerMaxConcurrency.default,
      accountConcurrencyLimit: settings.accountConcurrencyLimit.default,
    },
    settingMaximums: {
      apiThrottleRateLimit: settings.apiThrottleRateLimit.maximum,
      apiThrottleBurstLimit: settings.apiThrottleBurstLimit.maximum,
      workerMaxConcurrency: settings.workerMaxConcurrency.maximum,
    },
  };
}
