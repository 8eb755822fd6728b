import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { GatewayConfigError } from '../../infra/config.js';
import { PARK_TABLE_VARIABLE, parkTable } from '../../lib/parking/park-table.js';
import { RETRY_VARIABLES, RetryPolicyError, type RetryPolicy } from '../../lib/parking/retry-policy.js';
import { cdkJson, idOf, synthGateway } from './synth.js';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

interface PolicyResource {
  Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
}

interface FunctionResource {
  Properties: { Environment: { Variables: Record<string, unknown> } };
}

describe('park table (default context)', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;
  let tableId: string;

  beforeAll(() => {
    // Act: configuration only, no bundling
    ({ stack, template } = synthGateway({ bundle: false }));
    tableId = idOf(stack, stack.parking.table);
  });

  it('is an on-demand table keyed (pk, sk) and expired as the worker, resume and the local runtime define it, with PITR and encryption', () => {
    // Act
    const table = template.findResources('AWS::DynamoDB::Table')[tableId] as { Properties: Record<string, unknown> };
    // Assess
    expect(table.Properties).toEqual({
      KeySchema: [
        { AttributeName: parkTable.partitionKey, KeyType: 'HASH' },
        { AttributeName: parkTable.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: parkTable.partitionKey, AttributeType: 'S' },
        { AttributeName: parkTable.sortKey, AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: parkTable.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect([parkTable.partitionKey, parkTable.sortKey, parkTable.timeToLiveAttribute]).toEqual(['pk', 'sk', 'expiration']);
  });

  it('is retained when the stack is deleted: a parked event exists nowhere else', () => {
    // Assess
    expect(template.findResources('AWS::DynamoDB::Table')[tableId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('gives the worker role, and no one else, the five item actions of the park store: no Scan, no GetItem, no table actions', () => {
    // Prepare
    const workerRole = { Ref: idOf(stack, stack.worker.function.role!) };
    const tableArn = JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] });
    const onTable = (statement: Statement) => JSON.stringify([statement.Resource].flat()).includes(tableArn);
    // Act
    const policies = (Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[]).filter((policy) => policy.Properties.PolicyDocument.Statement.some(onTable));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement.filter(onTable));
    // Assess
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties.Roles).toEqual([workerRole]);
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    // The table itself, no index or wildcard.
    for (const statement of statements) expect(JSON.stringify([statement.Resource].flat())).toBe(`[${tableArn}]`);
  });

  it('is named to the worker by PARK_TABLE_NAME, with the retry policy beside it', () => {
    // Act
    const worker = template.findResources('AWS::Lambda::Function')[idOf(stack, stack.worker.function)] as FunctionResource;
    // Assess
    expect(PARK_TABLE_VARIABLE).toBe('PARK_TABLE_NAME');
    expect(worker.Properties.Environment.Variables[PARK_TABLE_VARIABLE]).toEqual({ Ref: tableId });
    expect(worker.Properties.Environment.Variables).toMatchObject({ RETRY_ATTEMPTS: '5', RETRY_FIRST_DELAY_SECONDS: '60', RETRY_BACKOFF_RATE: '2' });
  });

  it('is an output, ParkTableName, beside QueueUrl: what npm run resume -- --stack reads', () => {
    // Assess
    template.hasOutput('ParkTableName', { Value: { Ref: tableId } });
    template.hasOutput('QueueUrl', { Value: { Ref: idOf(stack, stack.events.queue) } });
  });
});

describe('park table with context', () => {
  it('is deleted with the stack when parkTableRetained=false, leaving the idempotency table as it was', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { parkTableRetained: 'false' } });
    // Assess
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(tables[idOf(stack, stack.parking.table)]).toMatchObject({ DeletionPolicy: 'Delete' });
    expect(tables[idOf(stack, stack.idempotency.table)]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('refuses parkTableRetained that is no boolean, with one line naming the setting', () => {
    // Act / Assess
    expect(() => synthGateway({ bundle: false, context: { parkTableRetained: 'perhaps' } })).toThrow(GatewayConfigError);
    expect(() => synthGateway({ bundle: false, context: { parkTableRetained: 'perhaps' } })).toThrow(/parkTableRetained/);
  });
});

describe('retry policy of the stack', () => {
  /** The stack with a policy of its own, configuration only. */
  const gatewayWith = (retryPolicy: RetryPolicy) =>
    new ChatWebhookGatewayStack(new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } }), 'Gateway', { retryPolicy });

  it('sets the RETRY_* variables from the retryPolicy prop', () => {
    // Act
    const stack = gatewayWith({ attempts: 3, firstDelaySeconds: 10, backoffRate: 2, maximumDelaySeconds: 43_200 });
    const worker = Template.fromStack(stack).findResources('AWS::Lambda::Function')[idOf(stack, stack.worker.function)] as FunctionResource;
    // Assess
    expect(worker.Properties.Environment.Variables).toMatchObject({
      [RETRY_VARIABLES.attempts]: '3',
      [RETRY_VARIABLES.firstDelaySeconds]: '10',
      [RETRY_VARIABLES.backoffRate]: '2',
    });
  });

  it('takes the policy from the settings retryAttempts, retryFirstDelaySeconds and retryBackoffRate', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { retryAttempts: '8', retryFirstDelaySeconds: '30', retryBackoffRate: '1.5' } });
    const worker = template.findResources('AWS::Lambda::Function')[idOf(stack, stack.worker.function)] as FunctionResource;
    // Assess
    expect(worker.Properties.Environment.Variables).toMatchObject({ RETRY_ATTEMPTS: '8', RETRY_FIRST_DELAY_SECONDS: '30', RETRY_BACKOFF_RATE: '1.5' });
    expect(() => synthGateway({ bundle: false, context: { retryBackoffRate: '0.5' } })).toThrow(/retryBackoffRate must be a number from 1 to 10/);
  });

  it('refuses at synth a policy the worker would refuse at start', () => {
    // Act / Assess
    expect(() => gatewayWith({ attempts: 0, firstDelaySeconds: 10, backoffRate: 2, maximumDelaySeconds: 43_200 })).toThrow(RetryPolicyError);
  });
});
