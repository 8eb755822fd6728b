import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { defaultGatewayConfig } from '../../infra/config.js';
import { archiveDatabaseName } from '../../infra/constructs/EventArchive.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_COLUMNS, ARCHIVE_DELIVERY_STREAM_VARIABLE, FIREHOSE_ARCHIVE_PREFIX, FIREHOSE_ERROR_PREFIX } from '../../lib/archive/format.js';
import { cdkJson, synthGateway } from './synth.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
type Statement = { Action: string | string[]; Resource: unknown };

describe('the event archive in the stack', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthGateway({ bundle: false, context: { archiveRetentionDays: '30' } }));
  }, 120_000);

  it('keeps events, and their stored media, a year by default, and -c archiveRetentionDays days when set', () => {
    expect(defaultGatewayConfig.archiveRetentionDays).toBe(365);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'events/', ExpirationInDays: 30, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'media/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('encrypts the bucket with its key, blocks public access and denies requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets the worker put objects under events/ and store media under media/ only, and Firehose write under events/ and archive-errors/ only', () => {
    // Every S3 permission of the stack: the worker's and the archive delivery stream's role's.
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources);
    const holders = policies.filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('"s3:'));
    expect(holders.map((policy) => JSON.stringify(policy.Properties.Roles)).sort()).toEqual([
      expect.stringMatching(/^\[\{"Ref":"ArchiveDeliveryRole/),
      expect.stringMatching(/^\[\{"Ref":"WorkerRole/),
    ]);
    const s3Of = (role: string) =>
      policies
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    const worker = s3Of('WorkerRole').map((statement) => ({ actions: [statement.Action].flat().sort(), prefix: /\/(\w+)\/\*"/.exec(JSON.stringify(statement.Resource))?.[1] }));
    expect(worker).toEqual(
      expect.arrayContaining([
        { actions: ['s3:PutObject'], prefix: 'events' },
        { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], prefix: 'media' },
      ]),
    );
    expect(worker).toHaveLength(2);
    // Firehose: the bucket-level reads its S3 delivery needs, and objects under the two prefixes; never a delete.
    const firehose = s3Of('ArchiveDeliveryRole');
    expect(firehose.flatMap((statement) => [statement.Action].flat()).sort()).toEqual(
      ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'].sort(),
    );
    const objectResources = JSON.stringify(firehose.find((statement) => [statement.Action].flat().includes('s3:PutObject'))?.Resource);
    expect(objectResources.match(/\/[a-z-]+\/\*/g)?.sort()).toEqual(['/archive-errors/*', '/events/*']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ARCHIVE_BUCKET_VARIABLE]: { Ref: Match.stringLikeRegexp('^ArchiveBucket') } }) },
    });
  });

  it('delivers through Firehose (Direct PUT) into the bucket, gzip, encrypted with the archive key, in the layout the table projects', () => {
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveBucket'), 'Arn'] },
        Prefix: FIREHOSE_ARCHIVE_PREFIX,
        ErrorOutputPrefix: FIREHOSE_ERROR_PREFIX,
        FileExtension: '.jsonl.gz',
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveKey'), 'Arn'] } } },
        // Its own error lines, in a log group of the stack (encrypted, with the logs' retention).
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: { Ref: Match.stringLikeRegexp('^ArchiveDeliveryErrorLogs') }, LogStreamName: Match.anyValue() },
      }),
    });
    // The layout the Glue table projects: `events/dt=${dt}/hour=${hour}/`.
    expect(FIREHOSE_ARCHIVE_PREFIX).toBe('events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    // Only Firehose of this account may take its role.
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } } })],
      },
    });
    // What Firehose could not deliver is kept as long as the archive.
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'archive-errors/', ExpirationInDays: 30 })]) },
    });
  });

  it('lets the worker put records to that stream only, and tells it the stream', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^WorkerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'firehose:PutRecordBatch', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveDeliveryStream'), 'Arn'] } }),
        ]),
      },
    });
    const firehoseStatements = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('firehose:')));
    expect(firehoseStatements).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ARCHIVE_DELIVERY_STREAM_VARIABLE]: { Ref: Match.stringLikeRegexp('^ArchiveDeliveryStream') } }) },
    });
  });

  it('alarms when Firehose has held a record for 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: Match.stringLikeRegexp('^ArchiveDeliveryStream') } }],
      Statistic: 'Maximum',
      Threshold: 900,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') }],
    });
  });

  it('describes the archive to Glue with projected date and hour partitions', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.range': 'NOW-30DAYS,NOW', 'projection.hour.range': '0,23' }),
        PartitionKeys: [{ Name: 'dt', Type: 'string' }, { Name: 'hour', Type: 'string' }],
        StorageDescriptor: Match.objectLike({
          Columns: ARCHIVE_COLUMNS.map((name) => ({ Name: name, Type: 'string' })),
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        }),
      }),
    });
  });

  it('gives Athena a workgroup with encrypted results and a scanned-bytes limit', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } }),
      }),
    });
  });
});

describe('the Glue database of each stack', () => {
  it('is the stack name in lower case, with a hash of its spelling when it has capitals: stacks differing only in case do not collide', () => {
    // Act + Assess
    expect(archiveDatabaseName('staging')).toBe('staging_archive');
    expect(archiveDatabaseName('my-stack')).toBe('my_stack_archive');
    expect(archiveDatabaseName('ChatWebhookGateway')).toMatch(/^chatwebhookgateway_[0-9a-f]{6}_archive$/);
    const names = ['Staging', 'staging', 'STAGING', 'StaGing', 'a-b', 'a--b', 'A-b'].map(archiveDatabaseName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('"Staging" and "staging" deployed side by side get databases of their own', () => {
    // Prepare
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    // Act
    const stacks = ['Staging', 'staging'].map((name) => new ChatWebhookGatewayStack(app, name));
    const databases = stacks.map((stack) => {
      const template = Template.fromStack(stack);
      const [database] = Object.values(template.findResources('AWS::Glue::Database')) as { Properties: { DatabaseInput: { Name: string } } }[];
      return database?.Properties.DatabaseInput.Name;
    });
    // Assess
    expect(databases[0]).not.toBe(databases[1]);
  });
});

describe('archiveDelivery "s3"', () => {
  it('has no delivery stream: the worker puts each batch to the bucket, with no Firehose permission or variable', () => {
    // Act
    const { template } = synthGateway({ bundle: false, context: { archiveDelivery: 's3' } });
    // Assess
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('firehose');
    expect(JSON.stringify(template.toJSON())).not.toContain(ARCHIVE_DELIVERY_STREAM_VARIABLE);
  }, 120_000);
});
