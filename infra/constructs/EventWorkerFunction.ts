import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PARK_TABLE_VARIABLE } from '../../lib/parking/park-table.js';
import { checkedRetryPolicy, RETRY_VARIABLES, retryPolicy as defaultRetryPolicy, type RetryPolicy } from '../../lib/parking/retry-policy.js';
import type { QueueTopology } from '../../lib/queue/topology.js';
import { DEAD_LETTER_QUEUE_URL_VARIABLE, QUEUE_URL_VARIABLE } from '../../lib/queue/worker-queue.js';
import { IDEMPOTENCY_EXPIRY_VARIABLE, IDEMPOTENCY_TABLE_VARIABLE } from '../../lib/worker/idempotency.js';
import type { IdempotencyTable } from './IdempotencyTable.js';
import type { ParkTable } from './ParkTable.js';
import type { LogLevel } from '../config.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_DELIVERY_STREAM_VARIABLE } from '../../lib/archive/format.js';
import type { ArchiveDeliveryStream } from './ArchiveDeliveryStream.js';
import { MEDIA_VARIABLES } from '../../lib/media/settings.js';
import { DestinationEnvironment } from '../../lib/destinations/environment.js';
import type { DestinationSettings } from '../../lib/destinations/settings.js';
import type { EventArchive } from './EventArchive.js';
import { GatewayFunction } from './GatewayFunction.js';

/**
 * 512 MB: the worker is not on a provider's deadline (the provider got its answer when the event was
 * enqueued), so a cold start costs only latency of processing, not a failed delivery. Raise it when the
 * business handlers in `lib/` do heavy work.
 */
const workerMemorySize = 512;

export interface EventWorkerFunctionProps {
  /**
   * The queue it consumes. It also sets when a failed message comes back (ChangeMessageVisibility, part of consuming)
   * and sends a resume's continuation into a conversation's group.
   */
  readonly queue: IQueue;
  /** The queue's dead-letter queue: the worker moves a message that is no event there itself; it may only send to it. */
  readonly deadLetterQueue: IQueue;
  /** Batch size and timeout come from here, as they do for the local poller. */
  readonly topology: QueueTopology;
  /** Where the worker records each handled event; it may only read, write and delete its items. */
  readonly idempotencyTable: IdempotencyTable;
  /** How long a handled event's record short-circuits a copy of it. */
  readonly idempotencyExpiry: Duration;
  /** Where conversations whose handler keeps failing are parked; it may use the park store's item actions only. */
  readonly parkTable: ParkTable;
  /**
   * How often, and how far apart, a failing event runs before its conversation is parked (`RETRY_*` variables).
   * @default `retryPolicy` of `lib/parking/retry-policy.ts`
   */
  readonly retryPolicy?: RetryPolicy;
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
  /**
   * Where events are delivered besides the code handlers (`DESTINATIONS`), with the secret HTTPS deliveries are
   * signed with (read only when one is https) and how long it is cached.
   * @default - no destination
   */
  readonly destinations?: {
    readonly settings: readonly DestinationSettings[];
    readonly secret?: ISecret | undefined;
    readonly secretsMaxAgeSeconds: number;
  };
  /** The Firehose stream in front of the archive; without it, the worker puts each batch to the bucket. @default - none */
  readonly archiveDelivery?: ArchiveDeliveryStream | undefined;
  /**
   * Store each event's attachment in the archive bucket under `media/` before its handler runs (`lib/media`).
   * @default - no media stored
   */
  readonly media?: EventWorkerMediaProps | undefined;
}

/** How the worker stores attachments (`MEDIA_*` variables). */
interface EventWorkerMediaProps {
  readonly maxBytes: number;
  readonly timeLimitSeconds: number;
  /** The only hosts each provider's media links may reach, by slug; a provider not named may reach any public host. */
  readonly allowHosts: Readonly<Record<string, readonly string[]>>;
  /**
   * The secrets whose `mediaHeaders` a provider's media links need, by slug; the worker may read them.
   * @default - none
   */
  readonly credentialSecrets?: Readonly<Record<string, ISecret>>;
}

/**
 * The worker: consumes the FIFO queue in batches and reports the failed records (`reportBatchItemFailures`), so
 * only they are retried, each after the delay the worker sets; a conversation whose event keeps failing is parked
 * in the park table. A message that is no event it moves to the dead-letter queue itself; the queue's own redrive
 * (`maxReceiveCount`) is a backstop for messages that could not even be parked.
 */
export class EventWorkerFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: EventWorkerFunctionProps) {
    super(scope, id);
    const { topology } = props;
    // Checked here too, so a policy the worker would refuse at start stops the synth instead.
    const retry = checkedRetryPolicy(props.retryPolicy ?? defaultRetryPolicy);

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
        ...(props.archiveDelivery ? { [ARCHIVE_DELIVERY_STREAM_VARIABLE]: props.archiveDelivery.streamName } : {}),
        [PARK_TABLE_VARIABLE]: props.parkTable.table.tableName,
        [QUEUE_URL_VARIABLE]: props.queue.queueUrl,
        [DEAD_LETTER_QUEUE_URL_VARIABLE]: props.deadLetterQueue.queueUrl,
        [RETRY_VARIABLES.attempts]: String(retry.attempts),
        [RETRY_VARIABLES.firstDelaySeconds]: String(retry.firstDelaySeconds),
        [RETRY_VARIABLES.backoffRate]: String(retry.backoffRate),
        ...(props.media
          ? {
              [MEDIA_VARIABLES.maxBytes]: String(props.media.maxBytes),
              [MEDIA_VARIABLES.timeLimitSeconds]: String(props.media.timeLimitSeconds),
              [MEDIA_VARIABLES.allowHosts]: JSON.stringify(props.media.allowHosts),
              ...(Object.keys(props.media.credentialSecrets ?? {}).length > 0
                ? {
                    [MEDIA_VARIABLES.credentialSecrets]: Stack.of(scope).toJsonString(
                      Object.fromEntries(Object.entries(props.media.credentialSecrets ?? {}).map(([slug, secret]) => [slug, secret.secretArn])),
                    ),
                  }
                : {}),
            }
          : { [MEDIA_VARIABLES.enabled]: 'false' }),
      },
    }).function;
    props.idempotencyTable.grantRecords(this.function);
    props.parkTable.grantParkStore(this.function);
    // Through Firehose, the bucket still takes a line too large for a Firehose record.
    props.archive.grantArchiveWrite(this.function);
    props.archiveDelivery?.grantPutRecords(this.function);
    if (props.media) props.archive.grantMediaStore(this.function);
    for (const secret of Object.values(props.media?.credentialSecrets ?? {})) secret.grantRead(this.function);
    if (props.destinations && props.destinations.settings.length > 0) this.addDestinations(props.destinations);

    // The event source grants the same consume actions; granting here states the intent where it is read.
    // Consuming includes sqs:ChangeMessageVisibility, which also authorises the worker's ChangeMessageVisibilityBatch.
    props.queue.grantConsumeMessages(this.function);
    // A resume that runs out of time sends its continuation into the conversation's group (SendMessage).
    props.queue.grantSendMessages(this.function);
    // Messages that are no event (SendMessageBatch is authorised by sqs:SendMessage).
    props.deadLetterQueue.grantSendMessages(this.function);
    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: topology.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }

  /** The destinations' variables, and access to their secret and to PutEvents on each named bus only. */
  private addDestinations(destinations: NonNullable<EventWorkerFunctionProps['destinations']>): void {
    this.function.addEnvironment(DestinationEnvironment.destinations, JSON.stringify(destinations.settings));
    if (destinations.settings.some((destination) => destination.type === 'https')) {
      if (!destinations.secret) throw new Error('HTTPS destinations need their signing secret');
      this.function.addEnvironment(DestinationEnvironment.secretArn, destinations.secret.secretArn);
      this.function.addEnvironment(DestinationEnvironment.secretsMaxAgeSeconds, String(destinations.secretsMaxAgeSeconds));
      destinations.secret.grantRead(this.function);
    }
    const buses = new Set(destinations.settings.flatMap((destination) => (destination.type === 'eventbridge' ? [destination.busName] : [])));
    for (const [index, bus] of [...buses].entries()) {
      const imported = bus.startsWith('arn:') ? EventBus.fromEventBusArn(this, `Bus${String(index)}`, bus) : EventBus.fromEventBusName(this, `Bus${String(index)}`, bus);
      imported.grantPutEventsTo(this.function);
    }
  }
}
