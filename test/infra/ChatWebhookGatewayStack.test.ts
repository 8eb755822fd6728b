import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, DockerImage, Token } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pascalCase, type ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { providers } from '../../lib/providers/registry.js';
import { PARK_TABLE_VARIABLE } from '../../lib/parking/park-table.js';
import { RETRY_VARIABLES, retryPolicy } from '../../lib/parking/retry-policy.js';
import { MEDIA_VARIABLES } from '../../lib/media/settings.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { DEAD_LETTER_QUEUE_URL_VARIABLE, QUEUE_URL_VARIABLE } from '../../lib/queue/worker-queue.js';
import { IDEMPOTENCY_EXPIRY_VARIABLE, IDEMPOTENCY_TABLE_VARIABLE } from '../../lib/worker/idempotency.js';
import { idOf, synthGateway } from './synth.js';
import { devProvider } from '../../dev/providers.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every inline policy attached to the role, and the role's managed policies. */
function permissionsOfRole(template: Template, roleLogicalId: string): { statements: Statement[]; managed: unknown } {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
  }[];
  const statements = policies
    .filter((policy) => policy.Properties.Roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const role = template.findResources('AWS::IAM::Role')[roleLogicalId] as { Properties: { ManagedPolicyArns?: unknown } };
  return { statements, managed: role.Properties.ManagedPolicyArns };
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((statement) => statement.Action).sort();
}


/**
 * An access log line as API Gateway writes it: each `$context` variable replaced by its text as it is, except the
 * `…String` forms, which it quotes and escapes itself. Free-text variables get `message`; the others their own name.
 */
function renderAccessLog(format: string, message: string): string {
  const freeText = new Set(['error.message', 'integrationErrorMessage', 'integration.error', 'authorizer.error']);
  return format.replace(/\$context\.([\w.]+)/g, (variable, name: string) => {
    if (name.endsWith('String')) return JSON.stringify(freeText.has(name.slice(0, -'String'.length)) ? message : variable);
    return freeText.has(name) ? message : variable;
  });
}

/** Every key anywhere in a JSON value. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...keysDeep(child)]);
}

describe('ChatWebhookGatewayStack (bundled, default context)', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;
  const dockerBuild = vi.spyOn(DockerImage, 'fromBuild');
  const dockerRun = vi.spyOn(DockerImage.prototype, 'run');
  const savedCredentials = { ...process.env };

  beforeAll(() => {
    // Prepare: no AWS credentials, as on a fresh clone
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
      delete process.env[key];
    }
    // Act: one synthesis for the whole file (esbuild runs once per function; slow on a loaded machine)
    ({ stack, template } = synthGateway());
  }, 120_000);

  afterAll(() => {
    process.env = savedCredentials;
    vi.restoreAllMocks();
  });

  describe('synthesis', () => {
    it('bundles every function with the local esbuild, never with Docker', () => {
      // Assess
      expect(dockerBuild).not.toHaveBeenCalled();
      expect(dockerRun).not.toHaveBeenCalled();
      const functions = template.findResources('AWS::Lambda::Function');
      for (const fn of Object.values(functions) as { Properties: { Handler: string; Code: { S3Key: unknown } } }[]) {
        expect(fn.Properties.Handler).toBe('index.handler');
        expect(fn.Properties.Code.S3Key).toEqual(expect.stringMatching(/^[0-9a-f]{64}\.zip$/));
      }
    });

    it('produces ESM bundles that load in Node and export the handler', () => {
      // Prepare: the assets of the synthesised assembly (the stack is already synthesised; this reuses it)
      const assemblyDirectory = stack.node.root instanceof App ? stack.node.root.synth().directory : '';
      const functions = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Code: { S3Key: string } } }[];
      const bundles = functions.map((fn) => join(assemblyDirectory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
      const script = `for (const file of process.argv.slice(1)) { const m = await import(file); console.log(typeof m.handler); }`;
      // Act: a separate Node process, as Lambda would load them (no test-runner transforms), with the one variable
      // without which the worker refuses to start (the stack sets it)
      const env = { [IDEMPOTENCY_TABLE_VARIABLE]: 'a-table', [PARK_TABLE_VARIABLE]: 'a-park-table' };
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...bundles], { encoding: 'utf8', env });
      // Assess
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toEqual(bundles.map(() => 'function'));
    });

    it('is environment-agnostic: no account or region is fixed at synthesis', () => {
      // Assess
      expect(Token.isUnresolved(stack.account)).toBe(true);
      expect(Token.isUnresolved(stack.region)).toBe(true);
    });

    it('outputs, beside the URL and secret of each provider, the queues, the park table, the archive, the alarm topic and the dashboard', () => {
      // Act
      const outputs = Object.keys(template.findOutputs('*')).sort();
      // Assess: the README's table of outputs; npm run resume -- --stack reads ParkTableName and QueueUrl
      expect(outputs).toEqual(
        [
          ...providers.flatMap((provider) => [`${pascalCase(provider.slug)}WebhookUrl`, `${pascalCase(provider.slug)}SecretArn`]),
          'QueueUrl',
          'DeadLetterQueueUrl',
          'ParkTableName',
          'ArchiveBucketName',
          'ArchiveAthenaWorkGroup',
          'AlarmTopicArn',
          'DashboardName',
        ].sort(),
      );
      template.hasOutput('ParkTableName', { Value: { Ref: idOf(stack, stack.parking.table) } });
    });

    it('defines one receiver per provider and one worker, nothing else', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::Function', providers.length + 1);
      expect([...stack.receivers.keys()]).toEqual(providers.map((provider) => provider.slug));
    });
  });

  describe('per provider', () => {
    it.each(providers.map((provider) => [provider.slug]))('%s: POST /webhooks/<slug> and /webhooks/<slug>/{kind} reach its receiver', (slug) => {
      // Prepare
      const receiverId = idOf(stack, stack.receivers.get(slug)!.function);
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: { IntegrationUri: { 'Fn::GetAtt': [receiverId, 'Arn'] } },
      });
      // Assess
      expect(Object.keys(integrations)).toHaveLength(1);
      const [integrationId] = Object.keys(integrations);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [receiverId, 'Arn'] },
      });
      for (const routeKey of [`POST /webhooks/${slug}`, `POST /webhooks/${slug}/{kind}`]) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: routeKey,
          Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
        });
      }
    });

    it.each(providers.map((provider) => [provider.slug]))('%s: receiver runs nodejs24.x on arm64 with its own secret and log group', (slug) => {
      // Prepare
      const receiver = stack.receivers.get(slug)!;
      const secretId = idOf(stack, stack.secrets.get(slug)!.secret);
      const queueId = idOf(stack, stack.events.queue);
      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 5,
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', LogGroup: { Ref: Match.anyValue() } },
        Role: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Environment: {
          Variables: {
            QUEUE_URL: { Ref: queueId },
            PROVIDER_SECRET_ARN: { Ref: secretId },
            SECRETS_MAX_AGE_SECONDS: '300',
            SIGNATURE_VERIFICATION: 'enforced',
            POWERTOOLS_SERVICE_NAME: 'chat-webhook-gateway',
            POWERTOOLS_LOG_LEVEL: 'WARN',
            POWERTOOLS_METRICS_NAMESPACE: 'ChatWebhookGateway',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
      const fn = template.findResources('AWS::Lambda::Function')[idOf(stack, receiver.function)] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      };
      expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
        [
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'PROVIDER_SECRET_ARN',
          'QUEUE_URL',
          'SECRETS_MAX_AGE_SECONDS',
          'SIGNATURE_VERIFICATION',
        ].sort(),
      );
    });

    it.each(providers.map((provider) => [provider.slug]))('%s: secret is generated as {"current", "previous"}, never given a value', (slug) => {
      // Prepare
      const secretId = idOf(stack, stack.secrets.get(slug)!.secret);
      // Assess
      const secret = template.findResources('AWS::SecretsManager::Secret')[secretId] as { Properties: Record<string, unknown> };
      expect(secret.Properties).toMatchObject({
        GenerateSecretString: { SecretStringTemplate: JSON.stringify({ previous: '' }), GenerateStringKey: 'current' },
      });
      expect(secret.Properties).not.toHaveProperty('SecretString');
    });

    it.each(providers.map((provider) => [provider.slug]))('%s: receiver may only send to the queue and read its own secret', (slug) => {
      // Prepare
      const receiver = stack.receivers.get(slug)!;
      const roleId = idOf(stack, receiver.function.role!);
      const secretId = idOf(stack, stack.secrets.get(slug)!.secret);
      const queueId = idOf(stack, stack.events.queue);
      // Act
      const { statements, managed } = permissionsOfRole(template, roleId);
      // Assess
      expect(managed).toBeUndefined();
      expect(actionsOf(statements)).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        const actions = [statement.Action].flat();
        if (actions.some((action) => action.startsWith('secretsmanager:'))) expect(statement.Resource).toEqual({ Ref: secretId });
        if (actions.some((action) => action.startsWith('sqs:'))) expect(statement.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
        if (actions.some((action) => action.startsWith('logs:'))) expect(statement.Resource).not.toBe('*');
        if (statement.Resource === '*') expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      }
    });

    it.each(providers.map((provider) => [provider.slug]))('%s: outputs its webhook URL and secret ARN', (slug) => {
      // Assess
      const name = pascalCase(slug);
      template.hasOutput(`${name}WebhookUrl`, {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, `/webhooks/${slug}`]] },
      });
      template.hasOutput(`${name}SecretArn`, { Value: { Ref: Match.stringLikeRegexp(`^${name}Secret`) } });
    });
  });

  describe('queue', () => {
    it('is a high-throughput FIFO queue with 1 MiB messages, SSE and a redrive policy to the FIFO DLQ', () => {
      // Prepare
      const dlqId = idOf(stack, stack.events.deadLetterQueue);
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: Match.absent(),
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: queueTopology.deduplicationScope,
        FifoThroughputLimit: queueTopology.fifoThroughputLimit,
        MaximumMessageSize: queueTopology.maximumMessageSizeBytes,
        MessageRetentionPeriod: queueTopology.retentionPeriodSeconds,
        VisibilityTimeout: queueTopology.visibilityTimeoutSeconds,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: queueTopology.maxReceiveCount },
      });
      expect(queueTopology.maximumMessageSizeBytes).toBe(1024 * 1024);
    });

    it('keeps unprocessed events 14 days, like the DLQ, far beyond the queue-age alarm', () => {
      // Prepare
      const queueId = idOf(stack, stack.events.queue);
      // Act
      const queue = template.findResources('AWS::SQS::Queue')[queueId] as { Properties: { MessageRetentionPeriod: number } };
      // Assess: the alarm fires within a thousandth of the retention (default 300 s of 1,209,600 s)
      expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      const [ageAlarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ApproximateAgeOfOldestMessage' } })) as {
        Properties: { Threshold: number };
      }[];
      expect(ageAlarm!.Properties.Threshold).toBeLessThanOrEqual(queue.Properties.MessageRetentionPeriod / 1000);
    });

    it('dead-letters to a FIFO queue that keeps messages 14 days', () => {
      // Prepare
      const dlqId = idOf(stack, stack.events.deadLetterQueue);
      // Assess
      const dlq = template.findResources('AWS::SQS::Queue')[dlqId] as { Properties: Record<string, unknown> };
      expect(dlq.Properties).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
      expect(dlq.Properties).not.toHaveProperty('RedrivePolicy');
    });

    it('keeps messages hidden for at least six worker timeouts', () => {
      // Prepare
      const workerId = idOf(stack, stack.worker.function);
      const worker = template.findResources('AWS::Lambda::Function')[workerId] as { Properties: { Timeout: number } };
      // Assess
      expect(worker.Properties.Timeout).toBe(60);
      expect(worker.Properties.Timeout).toBe(queueTopology.workerTimeoutSeconds);
      expect(queueTopology.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * worker.Properties.Timeout);
    });

    it('refuses plain HTTP on both queues', () => {
      // Assess
      template.resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
        2,
      );
    });

    it('alarms when a message reaches the dead-letter queue', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('outputs the queue and DLQ URLs', () => {
      // Prepare
      const queueId = idOf(stack, stack.events.queue);
      const dlqId = idOf(stack, stack.events.deadLetterQueue);
      // Assess
      template.hasOutput('QueueUrl', { Value: { Ref: queueId } });
      template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: dlqId } });
    });

    it('dead-letters only as a backstop: maxReceiveCount well above the retry policy\'s runs', () => {
      // Prepare
      const queue = template.findResources('AWS::SQS::Queue')[idOf(stack, stack.events.queue)] as {
        Properties: { RedrivePolicy: { maxReceiveCount: number }; VisibilityTimeout: number };
      };
      // Assess: the worker parks after `retryPolicy.attempts` runs; SQS moves a message only after 30 receives
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(30);
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(2 * retryPolicy.attempts);
      expect(queue.Properties.VisibilityTimeout).toBe(360);
    });
  });

  describe('worker', () => {
    it('consumes the queue in batches with partial-batch responses and bounded concurrency', () => {
      // Prepare
      const queueId = idOf(stack, stack.events.queue);
      const workerId = idOf(stack, stack.worker.function);
      // Assess
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: workerId },
        BatchSize: queueTopology.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 10 },
      });
    });

    it('runs nodejs24.x on arm64 without secret settings, with its tables, queues, retry policy and archive bucket', () => {
      // Prepare
      const workerId = idOf(stack, stack.worker.function);
      // Assess
      const worker = template.findResources('AWS::Lambda::Function')[workerId] as {
        Properties: { Runtime: string; Architectures: string[]; Environment: { Variables: Record<string, unknown> } };
      };
      expect(worker.Properties.Runtime).toBe('nodejs24.x');
      expect(worker.Properties.Architectures).toEqual(['arm64']);
      expect(Object.keys(worker.Properties.Environment.Variables).sort()).toEqual(
        [
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          IDEMPOTENCY_TABLE_VARIABLE,
          IDEMPOTENCY_EXPIRY_VARIABLE,
          'ARCHIVE_BUCKET',
          // archiveDelivery "firehose" by default.
          'ARCHIVE_DELIVERY_STREAM',
          PARK_TABLE_VARIABLE,
          QUEUE_URL_VARIABLE,
          DEAD_LETTER_QUEUE_URL_VARIABLE,
          RETRY_VARIABLES.attempts,
          RETRY_VARIABLES.firstDelaySeconds,
          RETRY_VARIABLES.backoffRate,
          MEDIA_VARIABLES.maxBytes,
          MEDIA_VARIABLES.timeLimitSeconds,
          MEDIA_VARIABLES.allowHosts,
        ].sort(),
      );
      expect(worker.Properties.Environment.Variables).toMatchObject({
        // Attachments stored by default: 100 MiB, 15 s, any public host.
        [MEDIA_VARIABLES.maxBytes]: String(100 * 1024 * 1024),
        [MEDIA_VARIABLES.timeLimitSeconds]: '15',
        [MEDIA_VARIABLES.allowHosts]: '{}',
        [IDEMPOTENCY_TABLE_VARIABLE]: { Ref: idOf(stack, stack.idempotency.table) },
        // 7 days by default.
        [IDEMPOTENCY_EXPIRY_VARIABLE]: '604800',
        [PARK_TABLE_VARIABLE]: { Ref: idOf(stack, stack.parking.table) },
        [QUEUE_URL_VARIABLE]: { Ref: idOf(stack, stack.events.queue) },
        [DEAD_LETTER_QUEUE_URL_VARIABLE]: { Ref: idOf(stack, stack.events.deadLetterQueue) },
        // The policy of lib/parking/retry-policy.ts: 5 runs, 30 s, then three times longer each time.
        [RETRY_VARIABLES.attempts]: String(retryPolicy.attempts),
        [RETRY_VARIABLES.firstDelaySeconds]: String(retryPolicy.firstDelaySeconds),
        [RETRY_VARIABLES.backoffRate]: String(retryPolicy.backoffRate),
      });
      expect([retryPolicy.attempts, retryPolicy.firstDelaySeconds, retryPolicy.backoffRate]).toEqual([5, 60, 2]);
    });

    it('may only consume and send to the queue, send to the DLQ, use the items of its two tables, put archive objects, and store media', () => {
      // Prepare
      const roleId = idOf(stack, stack.worker.function.role!);
      const queueArn = { 'Fn::GetAtt': [idOf(stack, stack.events.queue), 'Arn'] };
      const dlqArn = { 'Fn::GetAtt': [idOf(stack, stack.events.deadLetterQueue), 'Arn'] };
      const idempotencyArn = { 'Fn::GetAtt': [idOf(stack, stack.idempotency.table), 'Arn'] };
      const parkArn = { 'Fn::GetAtt': [idOf(stack, stack.parking.table), 'Arn'] };
      // Act
      const { statements, managed } = permissionsOfRole(template, roleId);
      const actionsOn = (resource: unknown, prefix: string) =>
        [
          ...new Set(
            statements
              .filter((statement) => JSON.stringify([statement.Resource].flat()) === JSON.stringify([resource]))
              .flatMap((statement) => [statement.Action].flat())
              .filter((action) => action.startsWith(prefix)),
          ),
        ].sort();
      // Assess
      expect(managed).toBeUndefined();
      expect([...new Set(actionsOf(statements))]).toEqual(
        [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'firehose:PutRecordBatch',
          'kms:Decrypt',
          'kms:GenerateDataKey',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          's3:AbortMultipartUpload',
          's3:GetObject',
          's3:PutObject',
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      // The queue: consume (ChangeMessageVisibility authorises the retry delays' batch call too) and send (a resume's continuation).
      expect(actionsOn(queueArn, 'sqs:')).toEqual(
        ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'].sort(),
      );
      // The DLQ: send only (messages that are no event), never receive or delete.
      expect(actionsOn(dlqArn, 'sqs:')).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      // The idempotency records: a consistent read before the handler, the completed record after it; no put, no delete.
      expect(actionsOn(idempotencyArn, 'dynamodb:')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      expect(actionsOn(parkArn, 'dynamodb:')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
      // The archive's Firehose stream: put records, nothing else.
      expect(actionsOn({ 'Fn::GetAtt': [stack.getLogicalId(stack.archiveDelivery!.stream), 'Arn'] }, 'firehose:')).toEqual(['firehose:PutRecordBatch']);
      for (const statement of statements) {
        const resources = JSON.stringify([statement.Resource].flat());
        if ([statement.Action].flat().some((action) => action.startsWith('sqs:'))) {
          expect([JSON.stringify([queueArn]), JSON.stringify([dlqArn])]).toContain(resources);
        }
        if ([statement.Action].flat().some((action) => action.startsWith('dynamodb:'))) {
          expect([JSON.stringify([idempotencyArn]), JSON.stringify([parkArn])]).toContain(resources);
        }
      }
    });
  });

  describe('API', () => {
    it('has only the providers\' routes, all POST', () => {
      // Assess
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as { Properties: { RouteKey: string } }[];
      expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
        providers.flatMap((provider) => [`POST /webhooks/${provider.slug}`, `POST /webhooks/${provider.slug}/{kind}`]).sort(),
      );
    });

    it('throttles the stage and writes JSON access logs to a log group with retention', () => {
      // Prepare
      const accessLogsId = idOf(stack, stack.api.accessLogGroup);
      // Assess
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] }, Format: Match.anyValue() },
      });
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
        Properties: { AccessLogSettings: { Format: string } };
      };
      const line = JSON.parse(renderAccessLog(stage.Properties.AccessLogSettings.Format, 'no error')) as Record<string, string>;
      expect(line).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('keeps the access logs in the Infrequent Access class, which nothing in the stack needs more than', () => {
      // Prepare
      const accessLogsId = idOf(stack, stack.api.accessLogGroup);
      const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { LogGroupClass?: string } }>;
      // Assess: that group only (the functions' groups carry EMF metrics, which the class cannot extract)
      expect(Object.entries(logGroups).filter(([, group]) => group.Properties.LogGroupClass === 'INFREQUENT_ACCESS').map(([id]) => id)).toEqual([accessLogsId]);
      // and no metric filter or subscription reads it: the class has neither
      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
      template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    });

    it('writes an access log line that stays JSON when an error message holds quotes and backslashes', () => {
      // Prepare
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as { Properties: { AccessLogSettings: { Format: string } } };
      const message = 'Invalid "kind" in C:\\path\n';
      // Act
      const line = renderAccessLog(stage.Properties.AccessLogSettings.Format, message);
      // Assess
      expect(() => JSON.parse(line) as unknown, line).not.toThrow();
      expect(JSON.parse(line)).toMatchObject({ error: message });
    });

    it('gives every log group a retention period', () => {
      // Assess
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as { Properties: { RetentionInDays?: number } }[];
      // One per function, the API's access logs and the archive delivery stream's error logs.
      expect(logGroups).toHaveLength(providers.length + 3);
      for (const logGroup of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(30);
    });
  });

  describe('secrets', () => {
    it('puts no secret value anywhere in the template', () => {
      // Prepare
      const json = JSON.stringify(template.toJSON());
      // Assess
      expect(keysDeep(template.toJSON())).not.toContain('SecretString');
      for (const provider of providers) {
        expect(json).not.toContain(devProvider(provider).developmentSecret);
      }
      const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }[];
      for (const fn of functions) {
        for (const [name, value] of Object.entries(fn.Properties.Environment.Variables)) {
          // Only the secret's ARN, a reference resolved by CloudFormation, may be named like a secret.
          if (/SECRET|PASSWORD|TOKEN|KEY/i.test(name) && name !== 'SECRETS_MAX_AGE_SECONDS') {
            expect(name).toBe('PROVIDER_SECRET_ARN');
            expect(value).toMatchObject({ Ref: expect.any(String) as unknown });
          }
        }
      }
    });
  });
});

describe('ChatWebhookGatewayStack with context', () => {
  const qikchatSecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:qikchat/webhook-AbCdEf';
  let stack: ChatWebhookGatewayStack;
  let template: Template;

  beforeAll(() => {
    // Act: configuration only, no bundling
    ({ stack, template } = synthGateway({
      bundle: false,
      context: {
        secretArns: JSON.stringify({ qikchat: qikchatSecretArn }),
        signatureVerificationDisabled: 'chatzuri',
        workerMaxConcurrency: '25',
        apiThrottleRateLimit: 20,
        apiThrottleBurstLimit: 40,
        logRetentionDays: 90,
        logLevel: 'debug',
        secretsMaxAgeSeconds: 60,
        bundleAwsSdk: 'false',
        receiverReservedConcurrency: '15',
      },
    }));
  });

  it('reserves receiverReservedConcurrency for each receiver, and none for the worker', () => {
    // Prepare
    const workerId = idOf(stack, stack.worker.function);
    // Assess
    for (const receiver of stack.receivers.values()) {
      const receiverId = idOf(stack, receiver.function);
      const fn = template.findResources('AWS::Lambda::Function')[receiverId] as { Properties: { ReservedConcurrentExecutions?: number } };
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(15);
    }
    const worker = template.findResources('AWS::Lambda::Function')[workerId] as { Properties: Record<string, unknown> };
    expect(worker.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('imports a secret by ARN instead of creating it, and grants reads on that ARN only', () => {
    // Prepare
    const roleId = idOf(stack, stack.receivers.get('qikchat')!.function.role!);
    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', providers.length - 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROVIDER_SECRET_ARN: qikchatSecretArn }) },
    });
    const { statements } = permissionsOfRole(template, roleId);
    const secretStatements = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')));
    expect(secretStatements.map((statement) => statement.Resource)).toEqual([qikchatSecretArn]);
    template.hasOutput('QikchatSecretArn', { Value: qikchatSecretArn });
  });

  it('disables signature verification only for the listed provider, with a warning', () => {
    // Assess
    for (const provider of providers) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(provider.displayName.replace(/[()]/g, '.')),
        Environment: {
          Variables: Match.objectLike({ SIGNATURE_VERIFICATION: provider.slug === 'chatzuri' ? 'disabled' : 'enforced' }),
        },
      });
    }
    Annotations.fromStack(stack).hasWarning('/ChatWebhookGateway/ChatzuriReceiver', Match.stringLikeRegexp('Signature verification is DISABLED'));
  });

  it('applies throttling, concurrency, retention, log level and cache TTL from the context', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 25 } });
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as { Properties: { RetentionInDays?: number } }[];
    for (const logGroup of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(90);
    template.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SECRETS_MAX_AGE_SECONDS: '60' }) },
    });
  });

  it('rejects a context naming an unknown provider', () => {
    // Act + Assess
    expect(() => synthGateway({ bundle: false, context: { signatureVerificationDisabled: ['chatzury'] } })).toThrow(/unknown provider "chatzury"/);
  });
});
