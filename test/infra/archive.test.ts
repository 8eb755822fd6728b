import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { defaultGatewayConfig } from '../../infra/config.js';
import { archiveDatabaseName } from '../../infra/constructs/EventArchive.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_COLUMNS } from '../../lib/archive/format.js';
import { cdkJson, synthGateway } from './synth.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

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

  it('lets the worker put objects under events/ only, store and read media under media/ only, and tells it the bucket', () => {
    // Every S3 permission of the stack: only the worker has one.
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources);
    const statements = policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
    const s3 = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    const holders = policies.filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('"s3:'));
    expect(holders.map((policy) => JSON.stringify(policy.Properties.Roles))).toEqual([expect.stringMatching(/^\[\{"Ref":"WorkerRole/)]);
    const grants = s3.map((statement) => ({ actions: [statement.Action].flat().sort(), prefix: /\/(\w+)\/\*"/.exec(JSON.stringify(statement.Resource))?.[1] }));
    expect(grants).toEqual(
      expect.arrayContaining([
        { actions: ['s3:PutObject'], prefix: 'events' },
        { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], prefix: 'media' },
      ]),
    );
    expect(grants).toHaveLength(2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ARCHIVE_BUCKET_VARIABLE]: { Ref: Match.stringLikeRegexp('^ArchiveBucket') } }) },
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

