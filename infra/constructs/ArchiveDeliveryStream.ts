import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_ERROR_PREFIX, ARCHIVE_FILE_EXTENSION, ARCHIVE_PREFIX, FIREHOSE_ARCHIVE_PREFIX, FIREHOSE_ERROR_PREFIX } from '../../lib/archive/format.js';
import { acknowledgeCfnGuard } from '../policy-validation.js';
import type { EventArchive } from './EventArchive.js';
import { countAlarm } from './monitoring/alarm-kit.js';

/**
 * How long, and how much, Firehose buffers before it writes an object: a minute, so replay and Athena see a batch
 * about a minute after the worker archived it, and at most one object a minute per stream when traffic is low
 * (64 MiB of lines write one sooner).
 */
const ARCHIVE_BUFFER = { interval: Duration.seconds(60), sizeMiB: 64 } as const;

/** Age of the oldest record Firehose has not delivered from which the delivery alarm fires: S3 has refused it for about 15 minutes. */
const lateThreshold = Duration.minutes(15);

export interface ArchiveDeliveryStreamProps {
  /** The archive whose bucket and key the stream writes with. */
  readonly archive: EventArchive;
  /** Retention of the stream's error log group (the logRetentionDays setting). */
  readonly logRetention: RetentionDays;
  /** Encrypts the error log group. */
  readonly logEncryptionKey: IKey;
}

/**
 * The archive through Amazon Data Firehose (Direct PUT): the worker puts each batch's lines as records, Firehose
 * buffers them for {@link ARCHIVE_BUFFER} and writes gzip JSON Lines objects into the archive bucket, encrypted
 * with the archive's key, under the same `events/dt=YYYY-MM-DD/hour=HH/` folders the Glue table projects. Firehose
 * bills ingestion per record in 5 KB steps instead of S3 billing a PUT per batch (BENCHMARKS.md, the archive).
 */
export class ArchiveDeliveryStream extends Construct {
  readonly stream: CfnDeliveryStream;
  /** The stream's name, which the worker puts records to. */
  readonly streamName: string;
  /** Fires when Firehose has not delivered a record for {@link lateThreshold}: S3 or the key refuses it. */
  readonly lateAlarm: Alarm;
  /** Firehose's own lines about what it could not deliver, and why; empty (and free) while delivery works. */
  readonly errorLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ArchiveDeliveryStreamProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { bucket, key } = props.archive;

    // Only Firehose of this account may take the role (the confused-deputy guard Firehose documents).
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': stack.account } } }),
      description: 'Firehose writes the event archive: objects under events/ and archive-errors/ of the archive bucket, nothing else.',
    });
    const objects = [bucket.arnForObjects(`${ARCHIVE_PREFIX}*`), bucket.arnForObjects(`${ARCHIVE_ERROR_PREFIX}*`)];
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }));
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: objects }));
    key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
    for (const folder of [ARCHIVE_PREFIX, ARCHIVE_ERROR_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${folder}*]`,
        reason: 'Firehose writes a new object per buffer interval under the archive prefix (and failed records under the error prefix): nowhere else.',
      });
    }

    this.errorLogGroup = new LogGroup(this, 'ErrorLogs', {
      retention: props.logRetention,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeCfnGuard(
      this.errorLogGroup,
      'cloudwatch_log_group_retention_period_check',
      'Retention is the logRetentionDays setting (30 days by default): the lines name delivery errors, needed only while diagnosing one.',
    );
    const errorLogStream = new LogStream(this, 'ErrorLogStream', { logGroup: this.errorLogGroup, removalPolicy: RemovalPolicy.RETAIN });
    const errorLogStreamArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${this.errorLogGroup.logGroupName}:log-stream:${errorLogStream.logStreamName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [errorLogStreamArn] }));

    this.stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamType: 'DirectPut',
      // Records wait in Firehose's buffer at most a minute, encrypted there with a key AWS owns; in S3, with the archive's.
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: FIREHOSE_ARCHIVE_PREFIX,
        errorOutputPrefix: FIREHOSE_ERROR_PREFIX,
        fileExtension: ARCHIVE_FILE_EXTENSION,
        compressionFormat: 'GZIP',
        bufferingHints: { intervalInSeconds: ARCHIVE_BUFFER.interval.toSeconds(), sizeInMBs: ARCHIVE_BUFFER.sizeMiB },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: this.errorLogGroup.logGroupName, logStreamName: errorLogStream.logStreamName },
      },
    });
    // Firehose checks the role when the stream is created: its policy must exist by then.
    this.stream.node.addDependency(role);
    this.streamName = this.stream.ref;

    this.lateAlarm = countAlarm(this, 'Late', {
      metric: new Metric({
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.DataFreshness',
        dimensionsMap: { DeliveryStreamName: this.streamName },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: lateThreshold.toSeconds(),
      description:
        `Firehose has held an archived record for ${lateThreshold.toMinutes()} minutes without delivering it to the archive bucket ` +
        '(normally about a minute): S3 or the archive\'s KMS key refuses its role. It keeps retrying for 24 hours, then drops the records. ' +
        'The worker still archives and handles events; replay and Athena miss what is held.',
      runbook: 'The archive is not delivered',
    });
  }

  /** Lets a function put records to the stream, and nothing else. */
  grantPutRecords(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [this.stream.attrArn] }));
  }
}
