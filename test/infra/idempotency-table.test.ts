import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import { GatewayConfigError } from '../../infra/config.js';
import { idempotencyTable } from '../../lib/worker/idempotency-table.js';
import { IDEMPOTENCY_EXPIRY_VARIABLE } from '../../lib/worker/idempotency.js';
import { idOf, synthGateway } from './synth.js';

interface PolicyResource {
  Properties: { Roles: unknown[]; PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
}

describe('idempotency table (default context)', () => {
  let stack: ChatWebhookGatewayStack;
  let template: Template;

  beforeAll(() => {
    // Act: configuration only, no bundling
    ({ stack, template } = synthGateway({ bundle: false }));
  });

  it('is an on-demand table keyed and expired as the worker and the local runtime define it, with PITR and encryption', () => {
    // Assess: it and the park table
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: idempotencyTable.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: idempotencyTable.partitionKey, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: idempotencyTable.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained when the stack is deleted', () => {
    // Assess
    expect(template.findResources('AWS::DynamoDB::Table')[idOf(stack, stack.idempotency.table)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('gives item actions on it to the worker role only', () => {
    // Prepare
    const workerRole = { Ref: idOf(stack, stack.worker.function.role!) };
    const tableArn = { 'Fn::GetAtt': [idOf(stack, stack.idempotency.table), 'Arn'] };
    const onTable = (statement: PolicyResource['Properties']['PolicyDocument']['Statement'][number]) =>
      JSON.stringify([statement.Resource].flat()).includes(JSON.stringify(tableArn));
    // Act
    const onIdempotency = (Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[]).filter((policy) => policy.Properties.PolicyDocument.Statement.some(onTable));
    // Assess
    expect(onIdempotency).toHaveLength(1);
    expect(onIdempotency[0]?.Properties.Roles).toEqual([workerRole]);
    const statements = onIdempotency[0]?.Properties.PolicyDocument.Statement.filter(onTable);
    expect(statements?.flatMap((statement) => [statement.Action].flat()).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    for (const statement of statements ?? []) expect([statement.Resource].flat()).toEqual([tableArn]);
  });
});

describe('idempotency table with context', () => {
  it('is deleted with the stack when idempotencyTableRetained=false, and records expire after idempotencyDays', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { idempotencyTableRetained: 'false', idempotencyDays: '30' } });
    // Assess
    expect(template.findResources('AWS::DynamoDB::Table')[idOf(stack, stack.idempotency.table)]).toMatchObject({ DeletionPolicy: 'Delete' });
    // The park table has a setting of its own.
    expect(template.findResources('AWS::DynamoDB::Table')[idOf(stack, stack.parking.table)]).toMatchObject({ DeletionPolicy: 'Retain' });
    const worker = template.findResources('AWS::Lambda::Function')[idOf(stack, stack.worker.function)] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(worker.Properties.Environment.Variables[IDEMPOTENCY_EXPIRY_VARIABLE]).toBe(String(30 * 86_400));
  });

  it('is provisioned with auto scaling from 1 unit up to idempotencyMaxWriteUnits, writes and reads alike (one of each an event), at 70 % use, with idempotencyCapacity=provisioned', () => {
    // Act
    const { stack, template } = synthGateway({ bundle: false, context: { idempotencyCapacity: 'provisioned', idempotencyMaxWriteUnits: '40' } });

    // Assess: the table, and a target-tracking policy for its writes and for its reads
    const table = template.findResources('AWS::DynamoDB::Table')[idOf(stack, stack.idempotency.table)] as { Properties: Record<string, unknown> };
    expect(table.Properties).toMatchObject({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } });
    expect(table.Properties.BillingMode).not.toBe('PAY_PER_REQUEST');
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'dynamodb:table:WriteCapacityUnits', MinCapacity: 1, MaxCapacity: 40 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 1, MaxCapacity: 40 });
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } }, 2);
    // The park table stays on demand.
    expect(template.findResources('AWS::DynamoDB::Table')[idOf(stack, stack.parking.table)]).toMatchObject({ Properties: { BillingMode: 'PAY_PER_REQUEST' } });
    // A synth of the whole stack: slow on a shared machine.
  }, 120_000);

  it('refuses an idempotencyCapacity it does not know, with one line naming the setting', () => {
    // Act / Assess
    expect(() => synthGateway({ bundle: false, context: { idempotencyCapacity: 'reserved' } })).toThrow(/idempotencyCapacity must be "on-demand" or "provisioned"/);
  });

  it.each([['0'], ['366'], ['7.5'], ['a week']])('refuses idempotencyDays=%s with one line naming the setting', (days) => {
    // Act / Assess
    expect(() => synthGateway({ bundle: false, context: { idempotencyDays: days } })).toThrow(GatewayConfigError);
    expect(() => synthGateway({ bundle: false, context: { idempotencyDays: days } })).toThrow(/idempotencyDays must be an integer from 1 to 365/);
  });
});
