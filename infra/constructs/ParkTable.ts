import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ParkTableDefinition } from '../../lib/parking/park-table.js';

/**
 * The item actions the worker's park store uses (`lib/parking/park-store.ts`): reading the batch's conversations
 * (BatchGetItem), counting failures and changing a conversation's state (UpdateItem, conditional PutItem and
 * DeleteItem), reading a conversation's parked events in order (Query). No Scan: listing every parked conversation
 * is for the operator (`npm run resume -- --list`), with the operator's own credentials.
 */
const parkStoreActions = ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'];

export interface ParkTableProps {
  /** Keys and TTL attribute, shared with the local runtime, the worker and `npm run resume` (`lib/parking/park-table.ts`). */
  readonly definition: ParkTableDefinition;
  /**
   * Keep the table (and the conversations parked in it) when the stack is deleted; `false` deletes it with the stack.
   * @default true
   */
  readonly retainOnDelete?: boolean;
}

/**
 * The park store: conversations whose handler kept failing, their parked events in queue order, and the failure
 * counts of events being retried. On-demand, expired failure counts deleted by TTL (parked items never expire),
 * point-in-time recovery, encrypted with the AWS-managed key, retained on stack deletion unless configured: a parked
 * event exists nowhere else. Only a principal given {@link ParkTable.grantParkStore} may touch its items.
 */
export class ParkTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ParkTableProps) {
    super(scope, id);
    const { definition } = props;
    // No table name: CloudFormation generates one, so two stacks never collide (`ParkTableName` output).
    this.table = new Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: props.retainOnDelete === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `grantee` park, count, read and resume: the five item actions of the park store, on this table only.
   *
   * @param grantee - the worker function
   */
  grantParkStore(grantee: IGrantable): void {
    this.table.grant(grantee, ...parkStoreActions);
  }
}
