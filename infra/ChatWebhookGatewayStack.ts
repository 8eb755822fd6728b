import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { providers as registeredProviders } from '../lib/providers/registry.js';
import { parkTable } from '../lib/parking/park-table.js';
import { retryPolicy as defaultRetryPolicy, type RetryPolicy } from '../lib/parking/retry-policy.js';
import type { ProviderDefinition } from '../lib/providers/types.js';
import { queueTopology, type QueueTopology } from '../lib/queue/topology.js';
import { idempotencyTable } from '../lib/worker/idempotency-table.js';
import { readGatewayConfig, type GatewayConfig } from './config.js';
import { pascalCase } from './construct-ids.js';
import { ArchiveDeliveryStream } from './constructs/ArchiveDeliveryStream.js';
import { DestinationSecret } from './constructs/DestinationSecret.js';
import { EventArchive } from './constructs/EventArchive.js';
import { EventQueue } from './constructs/EventQueue.js';
import { EventWorkerFunction } from './constructs/EventWorkerFunction.js';
import { GatewayMonitoring } from './constructs/GatewayMonitoring.js';
import { IdempotencyTable } from './constructs/IdempotencyTable.js';
import { LogEncryptionKey } from './constructs/LogEncryptionKey.js';
import { ParkTable } from './constructs/ParkTable.js';
import { ProviderSecret } from './constructs/ProviderSecret.js';
import { WebhookApi } from './constructs/WebhookApi.js';
import { WebhookReceiverFunction } from './constructs/WebhookReceiverFunction.js';

/** What the stack needs to know about a provider. */
type StackProvider = Pick<ProviderDefinition, 'slug' | 'displayName' | 'secretDescription'>;

export interface ChatWebhookGatewayStackProps extends StackProps {
  /** The providers to serve. @default the registry, `lib/providers/registry.ts` */
  readonly providers?: readonly StackProvider[];
  /** Queue and worker settings. @default `queueTopology` from `lib/queue/topology.ts` */
  readonly topology?: QueueTopology;
  /** How a failing event is retried before its conversation is parked. @default the settings `retryAttempts`, `retryFirstDelaySeconds`, `retryBackoffRate` */
  readonly retryPolicy?: RetryPolicy;
  /** Deployment settings. @default read from the context with `readGatewayConfig` */
  readonly config?: GatewayConfig;
}

export { pascalCase } from './construct-ids.js';

/**
 * The whole gateway in one environment-agnostic stack: an HTTP API with two routes per provider, one receiver
 * function and one secret per provider, the FIFO queue with its dead-letter queue, the worker, and their
 * monitoring (alarms to an SNS topic, a dashboard). Everything per provider is derived from the registry; the
 * queue settings from the queue topology the local runtime uses too.
 */
export class ChatWebhookGatewayStack extends Stack {
  readonly api: WebhookApi;
  readonly events: EventQueue;
  readonly worker: EventWorkerFunction;
  readonly archive: EventArchive;
  /** The Firehose stream the worker archives through; absent with archiveDelivery "s3". */
  readonly archiveDelivery: ArchiveDeliveryStream | undefined;
  /** The worker's idempotency records. */
  readonly idempotency: IdempotencyTable;
  /** The park store: parked conversations and their events, until `npm run resume`. */
  readonly parking: ParkTable;
  /** Receivers by provider slug. */
  readonly receivers: ReadonlyMap<string, WebhookReceiverFunction>;
  /** Secrets by provider slug. */
  readonly secrets: ReadonlyMap<string, ProviderSecret>;
  readonly monitoring: GatewayMonitoring;
  /** The key HTTPS destinations are signed with; only when the settings have one. */
  readonly destinationSecret: DestinationSecret | undefined;

  constructor(scope: Construct, id: string, props: ChatWebhookGatewayStackProps = {}) {
    super(scope, id, props);
    const providers = props.providers ?? registeredProviders;
    const topology = props.topology ?? queueTopology;
    const config =
      props.config ??
      readGatewayConfig(
        this.node,
        providers.map((provider) => provider.slug),
      );
    const retryPolicy = props.retryPolicy ?? {
      ...defaultRetryPolicy,
      attempts: config.retryAttempts,
      firstDelaySeconds: config.retryFirstDelaySeconds,
      backoffRate: config.retryBackoffRate,
    };

    // --- Logs: every log group encrypted with one customer-managed key -----------------------------------
    const logKey = new LogEncryptionKey(this, 'LogEncryption').key;

    // --- Queue: FIFO with its dead-letter queue, from the shared topology -------------------------------
    this.events = new EventQueue(this, 'Events', { topology });

    // --- API: throttled HTTP API stage with JSON access logs ---------------------------------------------
    this.api = new WebhookApi(this, 'Webhooks', {
      throttleRateLimit: config.apiThrottleRateLimit,
      throttleBurstLimit: config.apiThrottleBurstLimit,
      accessLogRetention: config.logRetentionDays,
      accessLogEncryptionKey: logKey,
      customDomain: config.domainName
        ? {
            domainName: config.domainName,
            certificateArn: config.certificateArn,
            hostedZone: config.hostedZoneId && config.hostedZoneName ? { id: config.hostedZoneId, name: config.hostedZoneName } : undefined,
          }
        : undefined,
    });

    // --- Per provider: secret, receiver, routes, outputs ---------------------------------------------------
    const receivers = new Map<string, WebhookReceiverFunction>();
    const secrets = new Map<string, ProviderSecret>();
    for (const provider of providers) {
      const name = pascalCase(provider.slug);
      const secret = new ProviderSecret(this, `${name}Secret`, {
        provider,
        existingSecretArn: config.secretArns[provider.slug],
      });
      const receiver = new WebhookReceiverFunction(this, `${name}Receiver`, {
        provider,
        queue: this.events.queue,
        secret: secret.secret,
        secretsMaxAgeSeconds: config.secretsMaxAgeSeconds,
        signatureVerification: config.signatureVerificationDisabled.includes(provider.slug) ? 'disabled' : 'enforced',
        logLevel: config.logLevel,
        logRetention: config.logRetentionDays,
        logEncryptionKey: logKey,
        bundleAwsSdk: config.bundleAwsSdk,
        reservedConcurrency: config.receiverReservedConcurrency,
        detailedTracing: config.detailedTracing,
      });
      const url = this.api.addProvider(provider.slug, receiver.function);
      secrets.set(provider.slug, secret);
      receivers.set(provider.slug, receiver);

      new CfnOutput(this, `${name}WebhookUrl`, {
        description: `Register this URL with ${provider.displayName} (optionally with /<kind> appended).`,
        value: url,
      });
      new CfnOutput(this, `${name}SecretArn`, {
        description: `${provider.displayName}: ${provider.secretDescription}, as JSON {"current": "...", "previous": "..."}.`,
        value: secret.secret.secretArn,
      });
    }
    this.receivers = receivers;
    this.secrets = secrets;

    // --- Archive: every event the worker receives, in S3, queryable with Athena ---------------------------
    this.archive = new EventArchive(this, 'Archive', { retentionDays: config.archiveRetentionDays });
    this.archiveDelivery = config.archiveDelivery === 'firehose' ? new ArchiveDeliveryStream(this, 'ArchiveDelivery', { archive: this.archive, logRetention: config.logRetentionDays, logEncryptionKey: logKey }) : undefined;

    // --- Worker: consumes the queue, archives each batch first, running each event's handler once per event id, --
    // --- parking a conversation whose handler keeps failing ------------------------------------------------------
    this.idempotency = new IdempotencyTable(this, 'Idempotency', {
      definition: idempotencyTable,
      retainOnDelete: config.idempotencyTableRetained,
      capacity: config.idempotencyCapacity === 'provisioned' ? { maxWriteUnits: config.idempotencyMaxWriteUnits } : undefined,
    });
    this.parking = new ParkTable(this, 'Park', { definition: parkTable, retainOnDelete: config.parkTableRetained });
    const { destinations } = config;
    this.destinationSecret = destinations.some((destination) => destination.type === 'https')
      ? new DestinationSecret(this, 'DestinationSigning', { existingSecretArn: config.destinationSecretArn })
      : undefined;
    this.worker = new EventWorkerFunction(this, 'Worker', {
      archive: this.archive,
      archiveDelivery: this.archiveDelivery,
      queue: this.events.queue,
      deadLetterQueue: this.events.deadLetterQueue,
      topology,
      idempotencyTable: this.idempotency,
      idempotencyExpiry: Duration.days(config.idempotencyDays),
      parkTable: this.parking,
      retryPolicy,
      maxConcurrency: config.workerMaxConcurrency,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      logEncryptionKey: logKey,
      bundleAwsSdk: config.bundleAwsSdk,
      media: config.mediaStore
        ? {
            maxBytes: config.mediaMaxBytes,
            timeLimitSeconds: config.mediaTimeLimitSeconds,
            allowHosts: config.mediaAllowHosts,
            // A provider with an allow-list may keep its media credentials in its own secret (`mediaHeaders`).
            credentialSecrets: Object.fromEntries(
              Object.keys(config.mediaAllowHosts).flatMap((slug) => {
                const secret = secrets.get(slug)?.secret;
                return secret ? [[slug, secret]] : [];
              }),
            ),
          }
        : undefined,
      destinations: { settings: destinations, secret: this.destinationSecret?.secret, secretsMaxAgeSeconds: config.secretsMaxAgeSeconds },
    });

    // --- Monitoring: alarms to one SNS topic, and a dashboard ---------------------------------------------------
    this.monitoring = new GatewayMonitoring(this, 'Monitoring', {
      apiStage: this.api.stage,
      receivers: [...receivers.values()],
      worker: this.worker.function,
      idempotencyTable: this.idempotency.table,
      parkTable: this.parking.table,
      queue: this.events.queue,
      deadLetterQueue: this.events.deadLetterQueue,
      deadLetterAlarm: this.events.deadLetterAlarm,
      archiveDeliveryAlarm: this.archiveDelivery?.lateAlarm,
      alarmEmail: config.alarmEmail,
      queueAgeThreshold: Duration.seconds(config.queueAgeAlarmSeconds),
      answerTimeThreshold: Duration.millis(config.answerTimeAlarmMilliseconds),
      rejectedWebhooksThreshold: config.rejectedWebhooksAlarmThreshold,
      workerMaxConcurrency: config.workerMaxConcurrency,
      silenceAlarmMinutes: config.silenceAlarmMinutes,
      retryPolicy,
      destinations: destinations.map((destination) => destination.name),
      destinationFailuresThreshold: config.destinationFailuresAlarmThreshold,
      undeliveredAgeThreshold: Duration.seconds(config.undeliveredAgeAlarmSeconds),
    });

    if (this.destinationSecret) {
      new CfnOutput(this, 'DestinationSecretArn', {
        description: 'The key HTTPS destinations are signed with, as JSON {"current": "...", "previous": "..."}: receivers verify with whsec_<current>.',
        value: this.destinationSecret.secret.secretArn,
      });
    }
    if (this.api.domain && !config.hostedZoneId) {
      new CfnOutput(this, 'CustomDomainTarget', {
        description: `Point ${config.domainName ?? 'the custom domain'} at this name: a CNAME record (or a Route 53 alias) in its DNS zone.`,
        value: this.api.domain.target,
      });
    }
    new CfnOutput(this, 'QueueUrl', {
      description: 'The FIFO queue of events (npm run resume -- --stack <stack name> reads it, with ParkTableName).',
      value: this.events.queue.queueUrl,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Messages that are no event, and events that could not be parked; inspect and redrive them from here.',
      value: this.events.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ParkTableName', {
      description: 'The park store: parked conversations and their events (npm run resume -- --list).',
      value: this.parking.table.tableName,
    });
    new CfnOutput(this, 'ArchiveBucketName', {
      description: 'The event archive (npm run replay -- --bucket <this> --queue-url <QueueUrl>).',
      value: this.archive.bucket.bucketName,
    });
    new CfnOutput(this, 'ArchiveAthenaWorkGroup', {
      description: `Query the archive in Athena with this workgroup: table ${this.archive.databaseName}.${this.archive.tableName}.`,
      value: this.archive.workGroupName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Every alarm notifies this SNS topic; subscribe more addresses or a chat integration to it.',
      value: this.monitoring.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'The CloudWatch dashboard of the gateway (CloudWatch console, Dashboards).',
      value: this.monitoring.dashboard.dashboardName,
    });
  }
}
