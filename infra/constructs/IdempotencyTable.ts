import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IdempotencyTableDefinition } from '../../lib/worker/idempotency-table.js';

/**
 * The item actions the worker's records take (lib/worker/idempotency.ts): a consistent read before the handler and the
 * completed record after it. Nothing else: no put, no delete, no Query, Scan, batch or table actions.
 */
const recordActions = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

export interface IdempotencyTableProps {
  /** Key and TTL attribute, shared with the local runtime and the worker (`lib/worker/idempotency-table.ts`). */
  readonly definition: IdempotencyTableDefinition;
  /**
   * Keep the table (and its records) when the stack is deleted; `false` deletes it with the stack.
   * @default true
   */
  readonly retainOnDelete?: boolean;
  /**
   * Provisioned capacity with auto scaling from 1 unit up to `maxWriteUnits`, for writes and for reads alike, at 70 % use.
   * @default - on-demand
   */
  readonly capacity?: { readonly maxWriteUnits: number } | undefined;
}

/** Auto scaling keeps the table's use near this share of its capacity: headroom for a minute's growth before it scales. */
const IDEMPOTENCY_TARGET_UTILIZATION_PERCENT = 70;

/**
 * The worker's idempotency records, one per event id: on-demand (pay per request, no capacity to plan) or
 * provisioned with auto scaling (docs/costs.md),
 * expired records deleted by TTL, point-in-time recovery, encrypted with the AWS-managed key, retained on stack
 * deletion unless configured. Only a principal given {@link IdempotencyTable.grantRecords} may touch its items.
 */
export class IdempotencyTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps) {
    super(scope, id);
    const { definition } = props;
    // No table name: CloudFormation generates one, so two stacks never collide.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      ...(props.capacity ? { billingMode: BillingMode.PROVISIONED, readCapacity: 1, writeCapacity: 1 } : { billingMode: BillingMode.PAY_PER_REQUEST }),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: props.retainOnDelete === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    if (props.capacity) {
      // One consistent read (a read unit) and one write (a write unit) an event: reads scale as far as writes.
      const { maxWriteUnits } = props.capacity;
      this.table.autoScaleWriteCapacity({ minCapacity: 1, maxCapacity: maxWriteUnits }).scaleOnUtilization({ targetUtilizationPercent: IDEMPOTENCY_TARGET_UTILIZATION_PERCENT });
      this.table.autoScaleReadCapacity({ minCapacity: 1, maxCapacity: maxWriteUnits }).scaleOnUtilization({ targetUtilizationPercent: IDEMPOTENCY_TARGET_UTILIZATION_PERCENT });
    }
  }

  /**
   * Lets `grantee` read and complete records: the two item actions of {@link recordActions}, on this table only.
   *
   * @param grantee - the worker function
   */
  grantRecords(grantee: IGrantable): void {
    this.table.grant(grantee, ...recordActions);
  }
}
