import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { MathExpression, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { countAlarm, period } from './alarm-kit.js';

/** The operations the worker's idempotency guard makes on its table. */
const idempotencyOperations = [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM];

/** The heading of the runbook entry (docs/operating.md) both alarms name. */
const runbook = 'The idempotency table failed';

/**
 * The sum over {@link idempotencyOperations} of a DynamoDB per-operation metric, each operation's series filled
 * with 0 where it has no data. Without the fill (as `metric…ForOperations` builds it) a period in which any one
 * operation reported nothing has no sum at all, so the alarm would see only periods in which all four failed.
 *
 * @param table - the idempotency table
 * @param metricName - `ThrottledRequests` or `SystemErrors`
 * @param label - the graph's label
 */
export function sumOverOperations(table: ITable, metricName: 'ThrottledRequests' | 'SystemErrors', label: string): MathExpression {
  const usingMetrics = Object.fromEntries(
    idempotencyOperations.map((operation) => [
      operation.toLowerCase(),
      table.metric(metricName, { dimensionsMap: { TableName: table.tableName, Operation: operation }, statistic: 'Sum', period }),
    ]),
  );
  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics,
    label,
    period,
  });
}

/**
 * The idempotency table's alarms: throttled requests and DynamoDB's own errors, of any one of the four operations.
 * Either fails the events the worker was guarding (they are retried from the queue, and dead-lettered if it lasts).
 *
 * @param scope - where the alarms are made
 * @param table - the idempotency table
 */
export function idempotencyAlarms(scope: Construct, table: ITable): Alarm[] {
  return [
    countAlarm(scope, 'IdempotencyTableThrottled', {
      metric: sumOverOperations(table, 'ThrottledRequests', 'throttled'),
      threshold: 1,
      description:
        "DynamoDB throttled the worker's idempotency records (an on-demand table throttles when traffic more than " +
        'doubles its previous peak at once, or at the account quota): those events failed and are retried from the ' +
        'queue. If it lasts, events are dead-lettered: check the table in the DynamoDB console, then redrive.',
      runbook,
    }),
    countAlarm(scope, 'IdempotencyTableErrors', {
      metric: sumOverOperations(table, 'SystemErrors', 'errors'),
      threshold: 1,
      description:
        "DynamoDB answered the worker's idempotency requests with its own errors (5xx): those events failed " +
        'without running their handlers and are retried from the queue. Check the AWS Health Dashboard for ' +
        'DynamoDB in this region; once it recovers, redrive anything that reached the dead-letter queue.',
      runbook,
    }),
  ];
}
