import { createHash } from 'node:crypto';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_COLUMNS, ARCHIVE_ERROR_PREFIX, ARCHIVE_PARTITION_KEYS, ARCHIVE_PREFIX } from '../../lib/archive/format.js';
import { MEDIA_PREFIX } from '../../lib/media/settings.js';
import { acknowledgeCfnGuard } from '../policy-validation.js';
import { gatewayKey } from './kms.js';

/** Where Athena writes query results, in the archive's bucket; kept a week. */
const RESULTS_PREFIX = 'athena-results/';
const RESULTS_RETENTION_DAYS = 7;

/**
 * The Glue database of a stack's archive. Glue names are lower case (letters, digits, underscores): a dash becomes
 * an underscore, and a name with capitals also gets six hex digits of a hash of its exact spelling, so that stacks
 * whose names differ only in case ("Staging", "staging") get databases of their own instead of colliding.
 *
 * @param stackName - the stack's name, as given
 * @example archiveDatabaseName('staging') // 'staging_archive'
 */
export function archiveDatabaseName(stackName: string): string {
  const lowerCase = stackName.toLowerCase();
  const spelling = stackName === lowerCase ? '' : `_${createHash('sha256').update(stackName).digest('hex').slice(0, 6)}`;
  return `${lowerCase.replace(/[^a-z0-9]/g, '_')}${spelling}_archive`;
}

/** 10 GiB: at $5 per TB scanned, a query costs at most about 5 cents. */
const defaultScannedBytesLimit = 10 * 1024 ** 3;

export interface EventArchiveProps {
  /** Days an archived batch is kept, then deleted. */
  readonly retentionDays: number;
  /** Bytes one Athena query of the workgroup may scan before it is cancelled. @default {@link defaultScannedBytesLimit} */
  readonly scannedBytesLimit?: number;
}

/**
 * The event archive: an S3 bucket of gzip JSON Lines batches under `events/dt=YYYY-MM-DD/hour=HH/` (written
 * by the worker, format in `lib/archive/format.ts`), a Glue table over it whose partitions Athena projects
 * from the key layout (no crawler, no partition maintenance), and an Athena workgroup with encrypted results
 * and a scanned-bytes limit per query.
 *
 * The objects stay in S3 Standard until they expire: a batch is a few kilobytes, and Standard-IA and Glacier
 * Instant Retrieval bill every object as at least 128 KB and charge per transition (BENCHMARKS.md, cost table).
 */
export class EventArchive extends Construct {
  readonly bucket: Bucket;
  /** Encrypts the archive and the query results; readers (Athena users, replay) need kms:Decrypt on it. */
  readonly key: Key;
  readonly databaseName: string;
  readonly tableName = 'events';
  readonly workGroupName: string;

  constructor(scope: Construct, id: string, props: EventArchiveProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = gatewayKey(this, {
      description: `Encrypts the event archive of ${stack.stackName} and its Athena query results.`,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket and period instead of a KMS request per object: KMS costs stay near zero.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A bucket policy that denies every request without TLS.
      enforceSSL: true,
      // The archive is the record of what was received: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireArchivedEvents', prefix: ARCHIVE_PREFIX, expiration: Duration.days(props.retentionDays) },
        // What Firehose could not deliver as the archive (archiveDelivery "firehose"): the same events, kept as long.
        { id: 'ExpireArchiveErrors', prefix: ARCHIVE_ERROR_PREFIX, expiration: Duration.days(props.retentionDays) },
        // An event's attachments expire with it.
        { id: 'ExpireStoredMedia', prefix: MEDIA_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'ExpireQueryResults', prefix: RESULTS_PREFIX, expiration: Duration.days(RESULTS_RETENTION_DAYS) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    acknowledgeCfnGuard(
      this.bucket,
      's3_bucket_versioning_enabled_check',
      'Each batch is written once under a new key and never changed, and the worker may only put objects: ' +
        'there is nothing to overwrite; deletion is by the retention rule only.',
    );
    acknowledgeCfnGuard(
      this.bucket,
      's3_bucket_object_lock_enabled_check',
      'The archive must expire after its retention period; the worker cannot delete, and nobody else writes.',
    );
    acknowledgeCfnGuard(this.bucket, 's3_event_notifications_enabled_check', 'Nothing reacts to an archived batch; it is read by replay and Athena.');
    const accessLogs =
      'The only writer is the worker role, which may only put objects under events/; an access log bucket would ' +
      'double the request count of the archive. Enable CloudTrail S3 data events to audit reads.';
    acknowledgeCfnGuard(this.bucket, 's3_bucket_logging_enabled_check', accessLogs);
    Validations.of(this.bucket).acknowledge({ id: 'AwsSolutions-S1', reason: accessLogs });

    // One database per stack.
    this.databaseName = archiveDatabaseName(stack.stackName);
    const database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'The chat webhook gateway event archive.' },
    });
    const location = `s3://${this.bucket.bucketName}/${ARCHIVE_PREFIX}`;
    const [dt, hour] = ARCHIVE_PARTITION_KEYS;
    const table = new CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: 'One row per archived event; `event` is the CloudEvent as JSON text (credentials redacted).',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${dt}.type`]: 'date',
          [`projection.${dt}.format`]: 'yyyy-MM-dd',
          [`projection.${dt}.range`]: `NOW-${props.retentionDays}DAYS,NOW`,
          [`projection.${dt}.interval`]: '1',
          [`projection.${dt}.interval.unit`]: 'DAYS',
          [`projection.${hour}.type`]: 'integer',
          [`projection.${hour}.range`]: '0,23',
          [`projection.${hour}.digits`]: '2',
          'storage.location.template': `${location}${dt}=\${${dt}}/${hour}=\${${hour}}/`,
        },
        partitionKeys: ARCHIVE_PARTITION_KEYS.map((name) => ({ name, type: 'string' })),
        storageDescriptor: {
          location,
          columns: ARCHIVE_COLUMNS.map((name) => ({ name, type: 'string' })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    table.addResourceDependency(database);

    this.workGroupName = `${stack.stackName}-archive`;
    new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Queries of the event archive: encrypted results, a scanned-bytes limit per query.',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.scannedBytesLimit ?? defaultScannedBytesLimit,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
        },
      },
    });
  }

  /**
   * Lets a function store attachments under `media/` (a multipart upload, encrypted with the archive's key, which
   * needs kms:Decrypt as well) and read them back (a file's manifest, found on a retry; a presigned link it signs).
   */
  grantMediaStore(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'], resources: [this.bucket.arnForObjects(`${MEDIA_PREFIX}*`)] }),
    );
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    if (grantee.grantPrincipal instanceof Construct) {
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${MEDIA_PREFIX}*]`,
        reason: "Each attachment is a new object under media/, named after its event: the worker may store and read files there, nowhere else.",
      });
    }
  }

  /** Lets a function put objects under the archive prefix (encrypted with the archive's key), and nothing else. */
  grantArchiveWrite(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)] }));
    this.key.grant(grantee, 'kms:GenerateDataKey');
    if (grantee.grantPrincipal instanceof Construct) {
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${ARCHIVE_PREFIX}*]`,
        reason: 'Each batch is a new object under the archive prefix: the worker may put objects there, nowhere else.',
      });
    }
  }
}
