/**
 * What the capacity planner computes from: the per-event times `npm run cost` measured (`dev/cost/measured.json`,
 * the cost model's inputs, so the plan and the cost agree), the latencies it assumes for AWS calls, and the stack's
 * settings (their defaults and bounds from `gateway.config.schema.json`) and topology.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { providers } from '../../lib/providers/registry.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { CostInputsSchema, type CostInputs } from '../cost/model.js';

/** The per-event times and sizes a plan is computed from; times in milliseconds. */
export interface CapacityInputs {
  /** CPU time of one warm delivery in the costliest receiver, measured. */
  readonly receiverCpuMs: number;
  /** The receivers' memory size: Lambda gives CPU in proportion (1,769 MB is one vCPU). */
  readonly receiverMemoryMb: number;
  /** One `SendMessage` to SQS FIFO in the same region (assumed by the cost model). */
  readonly sendLatencyMs: number;
  /** The worker's memory size. */
  readonly workerMemoryMb: number;
  /** Worker CPU per batch whatever its size (the batch's own work), measured. */
  readonly workerBatchCpuMs: number;
  /** Worker CPU per event of a batch, measured. */
  readonly workerEventCpuMs: number;
  /**
   * Round trips the worker waits for per batch whatever its size (the archive write, the park table's and the
   * idempotency records' reads, side by side), measured: a lone event's round trips less its own.
   */
  readonly workerBatchCalls: number;
  /** Round trips the worker waits for per event (its completed idempotency record, written after the handler), measured. */
  readonly workerEventCalls: number;
  /** Write request units per event on the idempotency table (each record under 1 KB), measured in full batches. */
  readonly idempotencyWriteUnitsPerEvent: number;
  /** Read request units per event on the park table (a consistent read of each conversation of a batch), measured. */
  readonly parkReadUnitsPerEvent: number;
  /** One call to DynamoDB, S3 or Firehose in the same region (assumed by the cost model). */
  readonly storeLatencyMs: number;
  /** How the stack keeps the archive: a Firehose stream, or an S3 object per batch. */
  readonly archive: 's3' | 'firehose';
  /** One event's archive line, uncompressed, measured. */
  readonly archiveEventBytes: number;
  /** Where and when these were measured. */
  readonly measured: string;
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
  };
  /** The largest value each setting accepts (infra/config.ts). */
  readonly settingMaximums: {
    readonly apiThrottleRateLimit: number;
    readonly apiThrottleBurstLimit: number;
    readonly workerMaxConcurrency: number;
  };
}

/** An integer setting in the settings' JSON Schema: its default and bounds. */
const SettingSchema = z.object({ default: z.number(), maximum: z.number() });
/** The settings the planner reads, from `gateway.config.schema.json` (generated from infra/config.ts, whose CDK app a tool may not import). */
const SettingsSchemaSchema = z.object({
  properties: z.object({
    apiThrottleRateLimit: SettingSchema,
    apiThrottleBurstLimit: SettingSchema,
    workerMaxConcurrency: SettingSchema,
    secretsMaxAgeSeconds: SettingSchema,
  }),
});

/**
 * The planner's inputs from the cost model's measurements and the settings' JSON Schema. The worker's two measured
 * shapes (a full batch and a lone event) split its work into a part per batch and a part per event.
 */
export function capacityInputs(measured: CostInputs, settingsSchema: unknown): CapacityInputs {
  const { properties: settings } = SettingsSchemaSchema.parse(settingsSchema);
  const { receiver, worker } = measured;
  const { busy, trickle } = worker;
  const perEvent = (key: 'cpuMsPerBatch') => (busy[key] - trickle[key]) / (busy.eventsPerBatch - trickle.eventsPerBatch);
  const perBatch = (key: 'cpuMsPerBatch') => Math.max(0, trickle[key] - perEvent(key) * trickle.eventsPerBatch);
  // An event's own wait is its record's write; the reads of a batch go ahead, beside the archive write.
  const eventRoundTrips = busy.idempotencyWriteUnitsPerBatch / busy.eventsPerBatch;
  return {
    receiverCpuMs: receiver.cpuMs,
    receiverMemoryMb: receiver.memoryMb,
    sendLatencyMs: measured.sendLatencyMs,
    workerMemoryMb: worker.memoryMb,
    workerBatchCpuMs: perBatch('cpuMsPerBatch'),
    workerEventCpuMs: perEvent('cpuMsPerBatch'),
    workerBatchCalls: Math.max(0, trickle.storeRoundTripsPerBatch - eventRoundTrips * trickle.eventsPerBatch),
    workerEventCalls: eventRoundTrips,
    idempotencyWriteUnitsPerEvent: busy.idempotencyWriteUnitsPerBatch / busy.eventsPerBatch,
    parkReadUnitsPerEvent: busy.parkReadUnitsPerBatch / busy.eventsPerBatch,
    storeLatencyMs: measured.storeLatencyMs,
    archive: measured.stack.archiveKept,
    archiveEventBytes: busy.archiveBytesPerBatch / busy.eventsPerBatch,
    measured: `dev/cost/measured.json (npm run cost, ${measured.measuredAt.slice(0, 10)}; ${receiver.provider} the costliest receiver)`,
    batchSize: queueTopology.batchSize,
    receivers: providers.length,
    secretsMaxAgeSeconds: settings.secretsMaxAgeSeconds.default,
    settings: {
      apiThrottleRateLimit: settings.apiThrottleRateLimit.default,
      apiThrottleBurstLimit: settings.apiThrottleBurstLimit.default,
      workerMaxConcurrency: settings.workerMaxConcurrency.default,
    },
    settingMaximums: {
      apiThrottleRateLimit: settings.apiThrottleRateLimit.maximum,
      apiThrottleBurstLimit: settings.apiThrottleBurstLimit.maximum,
      workerMaxConcurrency: settings.workerMaxConcurrency.maximum,
    },
  };
}

/** The cost model's measured inputs and the settings' JSON Schema, read from the repository at `root`. */
export async function readMeasurements(root: string): Promise<{ readonly measured: CostInputs; readonly settingsSchema: unknown }> {
  const read = async (file: string): Promise<unknown> => JSON.parse(await readFile(join(root, file), 'utf8'));
  return { measured: CostInputsSchema.parse(await read('dev/cost/measured.json')), settingsSchema: await read('gateway.config.schema.json') };
}
