import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { MathExpression, type Alarm, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { countAlarm, period } from './alarm-kit.js';

/** The worker's two tables: its idempotency records and the park table. */
export interface WorkerTables {
  readonly idempotency: ITable;
  readonly park: ITable;
}

/** The heading of the runbook entry (docs/operating.md) both alarms name. */
const runbook = "The worker's tables failed";

/**
 * The sum of `metrics`, each series filled with 0 where it has no data: without the fill a period in which any one
 * of them reported nothing has no sum at all, so an alarm would see only periods in which all of them had data.
 * Every metric is a billed alarm metric ($0.10 a month each), so each alarm watches as few as cover the tables.
 */
function filledSum(metrics: Readonly<Record<string, Metric>>, label: string): MathExpression {
  return new MathExpression({
    expression: Object.keys(metrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics: { ...metrics },
    label,
    period,
  });
}

/**
 * Throttling on either table, of any operation: each table's `ReadThrottleEvents` and `WriteThrottleEvents`, which
 * DynamoDB counts for every throttled read or write whatever the cause (on-demand peaks, partitions, the account's
 * table quota), a throttled item of a batch read included (docs.aws.amazon.com/amazondynamodb/latest/developerguide/
 * TroubleshootingThrottling-cloudwatch.html, read 2026-12-07). Four metrics, where per-operation counts would take nine.
 *
 * @param tables - the idempotency and park tables
 */
export function throttledOnWorkerTables(tables: WorkerTables): MathExpression {
  const events = (table: ITable, metricName: 'ReadThrottleEvents' | 'WriteThrottleEvents') =>
    table.metric(metricName, { dimensionsMap: { TableName: table.tableName }, statistic: 'Sum', period });
  return filledSum(
    {
      idempotencyreads: events(tables.idempotency, 'ReadThrottleEvents'),
      idempotencywrites: events(tables.idempotency, 'WriteThrottleEvents'),
      parkreads: events(tables.park, 'ReadThrottleEvents'),
      parkwrites: events(tables.park, 'WriteThrottleEvents'),
    },
    'throttled',
  );
}

/**
 * DynamoDB's own errors (5xx), which it counts per operation only, on the calls the worker makes for every batch: the
 * idempotency record's read and its completed write, and the park table's read of the batch's conversations. A
 * DynamoDB fault shows on these first; the rarer calls (parking an event, a resume) fail their event, which is
 * retried, and their error lines say which call failed.
 *
 * @param tables - the idempotency and park tables
 */
export function errorsOnWorkerTables(tables: WorkerTables): MathExpression {
  const errors = (table: ITable, operation: Operation) =>
    table.metric('SystemErrors', { dimensionsMap: { TableName: table.tableName, Operation: operation }, statistic: 'Sum', period });
  return filledSum(
    {
      idempotencyget: errors(tables.idempotency, Operation.GET_ITEM),
      idempotencyupdate: errors(tables.idempotency, Operation.UPDATE_ITEM),
      parkbatchget: errors(tables.park, Operation.BATCH_GET_ITEM),
    },
    'errors',
  );
}

/**
 * The worker's tables' alarms: throttling and DynamoDB's own errors, on the idempotency table or the park table.
 * A failed read holds the events back before their handlers run (retried from the queue, and dead-lettered if it
 * lasts); a failed completed record leaves a handled event open to a later copy.
 *
 * @param scope - where the alarms are made
 * @param tables - the idempotency and park tables
 */
export function workerTableAlarms(scope: Construct, tables: WorkerTables): Alarm[] {
  return [
    countAlarm(scope, 'WorkerTablesThrottled', {
      metric: throttledOnWorkerTables(tables),
      threshold: 1,
      description:
        "DynamoDB throttled the worker's idempotency records or its park table (an on-demand table throttles when " +
        'traffic more than doubles its previous peak at once, or at the account quota): events whose reads were held ' +
        'back were not run and are retried from the queue (a handled event whose record was held back is open to a ' +
        'later copy). If it lasts, events are dead-lettered: check both tables in the DynamoDB console, then redrive.',
      runbook,
    }),
    countAlarm(scope, 'WorkerTablesErrors', {
      metric: errorsOnWorkerTables(tables),
      threshold: 1,
      description:
        "DynamoDB answered the worker's reads of its idempotency records or park table with its own errors (5xx): " +
        'those events were not run and are retried from the queue; or the write of a handled event\'s record: a later ' +
        'copy of that event would run again. Check the AWS Health Dashboard for DynamoDB in this region; once it ' +
        'recovers, redrive anything that reached the dead-letter queue.',
      runbook,
    }),
  ];
}
