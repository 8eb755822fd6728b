import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueTopology } from '../../lib/queue/topology.js';
import { IDEMPOTENCY_EXPIRY_VARIABLE, IDEMPOTENCY_TABLE_VARIABLE } from '../../lib/worker/idempotency.js';
import type { IdempotencyTable } from './IdempotencyTable.js';
import type { LogLevel } from '../config.js';
import { ARCHIVE_BUCKET_VARIABLE } from '../../lib/archive/format.js';
import type { EventArchive } from './EventArchive.js';
import { GatewayFunction } from './GatewayFunction.js';

/**
 * 512 MB: the worker is not on a provider's deadline (the provider got its answer when the event was
 * enqueued), so a cold start costs only latency of processing, not a failed delivery. Raise it when the
 * business handlers in `lib/` do heavy work.
 */
const workerMemorySize = 512;

export interface EventWorkerFunctionProps {
  /** The queue it consumes; it may only consume it. */
  readonly queue: IQueue;
  /** Batch size and timeout come from here, as they do for the local poller. */
  readonly topology: QueueTopology;
  /** Where the worker records each handled event; it may only read, write and delete its items. */
  readonly idempotencyTable: IdempotencyTable;
  /** How long a handled event's record short-circuits a copy of it. */
  readonly idempotencyExpiry: Duration;
  /** Most invocations the event source runs at once (2 to 1000). */
  readonly maxConcurrency: number;
  /** The entry point, relative to the repository root. @default 'functions/worker.ts' */
  readonly entry?: string;
  /** @default {@link workerMemorySize} */
  readonly memorySize?: number;
  /** `POWERTOOLS_LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** Retention of the worker's log group. */
  readonly logRetention: RetentionDays;
  /** Encrypts the worker's log group. */
  readonly logEncryptionKey: IKey;
  /** See `GatewayFunctionProps.bundleAwsSdk`. @default true */
  readonly bundleAwsSdk?: boolean;
  /** The archive every batch is written to before it is handled. */
  readonly archive: EventArchive;
}

/**
 * The worker: consumes the FIFO queue in batches and reports the failed records (`reportBatchItemFailures`), so
 * only they are retried and, after `maxReceiveCount` receives, dead-lettered.
 */
export class EventWorkerFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: EventWorkerFunctionProps) {
    super(scope, id);
    const { topology } = props;

    this.function = new GatewayFunction(this, 'Worker', {
      entry: props.entry ?? 'functions/worker.ts',
      description: 'Processes queued chat events in FIFO batches and reports the failed ones.',
      timeout: Duration.seconds(topology.workerTimeoutSeconds),
      memorySize: props.memorySize ?? workerMemorySize,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logEncryptionKey: props.logEncryptionKey,
      bundleAwsSdk: props.bundleAwsSdk,
      environment: {
        [IDEMPOTENCY_TABLE_VARIABLE]: props.idempotencyTable.table.tableName,
        [IDEMPOTENCY_EXPIRY_VARIABLE]: String(props.idempotencyExpiry.toSeconds()),
        [ARCHIVE_BUCKET_VARIABLE]: props.archive.bucket.bucketName,
      },
    }).function;
    props.idempotencyTable.grantRecords(this.function);
    props.archive.grantArchiveWrite(this.function);

    // The event source grants the same consume actions; granting here states the intent where it is read.
    props.queue.grantConsumeMessages(this.function);
    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: topology.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
