import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  Color,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IMetric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import { destinationMetricsByName, receiverMetric, workerMetric, workerMetricsByType, type GatewayMetricName } from '../gateway-metrics.js';
import { errorsOnWorkerTables, throttledOnWorkerTables } from './worker-table-alarms.js';
import { period, providerDeadline } from './alarm-kit.js';
import type { MonitoredResources } from './monitored-resources.js';

export interface GatewayDashboardProps extends MonitoredResources {
  /** Shown in the alarm status widget. */
  readonly alarms: readonly Alarm[];
  /** Lines drawn at the alarm thresholds and limits. */
  readonly lines: {
    readonly answerTime: Duration;
    readonly enqueueDuration: Duration;
    readonly answerBudget: Duration;
    readonly queueAge: Duration;
    readonly workerMaxConcurrency: number;
    readonly destinationFailures: number;
    readonly undeliveredAge: Duration;
  };
}

/**
 * The gateway's dashboard: alarms on top, then one row per provider (deliveries, time to answer, enqueue
 * duration), then the queue, the worker, parking, media, idempotency, and errors of all functions.
 *
 * @param scope - where the dashboard is made (id `Dashboard`)
 * @param props - what it shows
 */
export function gatewayDashboard(scope: Construct, props: GatewayDashboardProps): Dashboard {
  const dashboard = new Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(3) });
  const deadline: HorizontalAnnotation = { value: providerDeadline.toMilliseconds(), label: 'provider deadline', color: Color.RED };
  const alarmLine = (threshold: Duration): HorizontalAnnotation => ({ value: threshold.toMilliseconds(), label: 'alarm', color: Color.ORANGE });

  dashboard.addWidgets(
    new TextWidget({
      markdown:
        '# Chat webhook gateway\nDeliveries per provider, the queue, the worker. Every alarm notifies the ' +
        'topic of the `AlarmTopicArn` output; what each one means and what to do: docs/operating.md.',
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    new AlarmStatusWidget({ alarms: [...props.alarms], sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP, width: 24, height: 6 }),
  );

  for (const { provider, function: receiver } of props.receivers) {
    const metric = (metricName: GatewayMetricName, statistic: string, label: string) =>
      receiverMetric(metricName, provider.slug, { statistic, period, label });
    dashboard.addWidgets(
      new GraphWidget({
        title: `${provider.displayName}: deliveries`,
        left: [
          metric(MetricNames.received, 'Sum', 'received'),
          metric(MetricNames.rejected, 'Sum', 'rejected (401)'),
          metric(MetricNames.enqueued, 'Sum', 'enqueued (200)'),
          metric(MetricNames.enqueueFailures, 'Sum', 'enqueue failed (503)'),
        ],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new GraphWidget({
        title: `${provider.displayName}: time to answer (ms)`,
        left: [
          metric(MetricNames.answerTime, 'p50', 'answer p50'),
          metric(MetricNames.answerTime, 'p99', 'answer p99'),
          receiver.metricDuration({ statistic: 'p99', period, label: 'Lambda duration p99' }),
        ],
        leftAnnotations: [deadline, alarmLine(props.lines.answerTime)],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new GraphWidget({
        title: `${provider.displayName}: enqueue duration (ms)`,
        left: [metric(MetricNames.enqueueDuration, 'p50', 'enqueue p50'), metric(MetricNames.enqueueDuration, 'p99', 'enqueue p99')],
        leftAnnotations: [
          { value: props.lines.answerBudget.toMilliseconds(), label: 'answer budget', color: Color.RED },
          alarmLine(props.lines.enqueueDuration),
        ],
        leftYAxis: { min: 0 },
        width: 8,
      }),
    );
  }

  dashboard.addWidgets(
    new GraphWidget({
      title: 'Queue: events waiting and in flight; age of the oldest (s)',
      left: [
        props.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'waiting' }),
        props.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Maximum', period, label: 'in flight' }),
      ],
      right: [props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period, label: 'oldest (s)' })],
      rightAnnotations: [{ value: props.lines.queueAge.toSeconds(), label: 'alarm', color: Color.ORANGE }],
      leftYAxis: { min: 0 },
      rightYAxis: { min: 0 },
      width: 12,
    }),
    new GraphWidget({
      title: 'Dead-letter queue: events',
      left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: 'dead-lettered' })],
      leftAnnotations: [{ value: 1, label: 'alarm', color: Color.RED }],
      leftYAxis: { min: 0 },
      width: 12,
    }),
  );

  dashboard.addWidgets(
    new GraphWidget({
      title: 'Worker: events processed, by provider and type',
      left: [workerMetricsByType(MetricNames.processed, period)],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Worker: events failed, by provider and type',
      left: [workerMetricsByType(MetricNames.failed, period)],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Worker: concurrent invocations',
      left: [props.worker.metric('ConcurrentExecutions', { statistic: 'Maximum', period, label: 'concurrent' })],
      leftAnnotations: [{ value: props.lines.workerMaxConcurrency, label: 'maximum', color: Color.GREY }],
      leftYAxis: { min: 0 },
      width: 8,
    }),
  );

  // Parking: what the worker set aside instead of retrying for ever, and what it never ran.
  const workerCount = (metricName: GatewayMetricName, label: string) => workerMetric(metricName, { statistic: 'Sum', period, label });
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Parking: conversations parked, events parked',
      left: [workerCount(MetricNames.parkedConversations, 'conversations parked'), workerCount(MetricNames.parked, 'events parked')],
      leftAnnotations: [{ value: 1, label: 'alarm (conversations)', color: Color.ORANGE }],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Parking: failing events skipped on resume (--skip)',
      left: [workerCount(MetricNames.skipped, 'skipped')],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Worker: not run: conflicting duplicates, messages moved to the DLQ',
      left: [workerCount(MetricNames.conflicting, 'conflicting duplicates'), workerCount(MetricNames.deadLettered, 'no event: to the DLQ')],
      leftYAxis: { min: 0 },
      width: 8,
    }),
  );

  // Media: attachments stored before their handlers ran, their bytes, and those that could not be stored.
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Media: attachments stored, not stored',
      left: [workerCount(MetricNames.mediaStored, 'stored'), workerCount(MetricNames.mediaFailed, 'not stored')],
      leftAnnotations: [{ value: 1, label: 'alarm (not stored)', color: Color.ORANGE }],
      leftYAxis: { min: 0 },
      width: 12,
    }),
    new GraphWidget({
      title: 'Media: bytes stored',
      left: [workerMetric(MetricNames.mediaBytes, { statistic: 'Sum', period, label: 'bytes' })],
      leftYAxis: { min: 0 },
      width: 12,
    }),
  );

  // Destinations: one row for all of them, a line per destination (SEARCH finds each as it first publishes).
  const byDestination = (metricName: GatewayMetricName, statistic: string) => destinationMetricsByName(metricName, statistic, period);
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Destinations: delivered, failed and requests sent, by destination',
      left: [byDestination(MetricNames.delivered, 'Sum'), byDestination(MetricNames.deliveryFailed, 'Sum'), byDestination(MetricNames.deliveryAttempts, 'Sum')],
      leftAnnotations: [{ value: props.lines.destinationFailures, label: 'alarm (failed)', color: Color.ORANGE }],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Destinations: latency of a try, p50 and p99 (ms)',
      left: [byDestination(MetricNames.deliveryLatency, 'p50'), byDestination(MetricNames.deliveryLatency, 'p99')],
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Destinations: oldest undelivered event (s)',
      left: [byDestination(MetricNames.undeliveredAge, 'Maximum')],
      leftAnnotations: [{ value: props.lines.undeliveredAge.toSeconds(), label: 'alarm', color: Color.ORANGE }],
      leftYAxis: { min: 0 },
      width: 8,
    }),
  );

  const table = props.idempotencyTable;
  const workerTables = { idempotency: table, park: props.parkTable };
  // One math expression per graph, the alarm's own.
  const tableCountGraph = (title: string, metric: IMetric) =>
    new GraphWidget({ title, left: [metric], leftAnnotations: [{ value: 1, label: 'alarm', color: Color.ORANGE }], leftYAxis: { min: 0 }, width: 6 });
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Idempotency: duplicates acknowledged without running a handler',
      left: [workerMetric(MetricNames.duplicate, { statistic: 'Sum', period, label: 'duplicates' })],
      leftYAxis: { min: 0 },
      width: 6,
    }),
    tableCountGraph('Idempotency and park tables: throttled reads and writes', throttledOnWorkerTables(workerTables)),
    tableCountGraph('Idempotency and park tables: DynamoDB errors (5xx)', errorsOnWorkerTables(workerTables)),
    new GraphWidget({
      title: 'Idempotency table: capacity units consumed',
      left: [
        table.metricConsumedWriteCapacityUnits({ statistic: 'Sum', period, label: 'write units' }),
        table.metricConsumedReadCapacityUnits({ statistic: 'Sum', period, label: 'read units' }),
      ],
      leftYAxis: { min: 0 },
      width: 6,
    }),
  );

  const functions = [
    ...props.receivers.map(({ provider, function: fn }) => ({ label: provider.displayName, fn })),
    { label: 'worker', fn: props.worker },
  ];
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Lambda errors',
      left: functions.map(({ label, fn }) => fn.metricErrors({ statistic: 'Sum', period, label })),
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'Lambda throttles',
      left: functions.map(({ label, fn }) => fn.metricThrottles({ statistic: 'Sum', period, label })),
      leftYAxis: { min: 0 },
      width: 8,
    }),
    new GraphWidget({
      title: 'API: requests, 4xx (incl. 401, 429), 5xx',
      left: [
        props.apiStage.metricCount({ statistic: 'Sum', period, label: 'requests' }),
        props.apiStage.metricClientError({ statistic: 'Sum', period, label: '4xx' }),
        props.apiStage.metricServerError({ statistic: 'Sum', period, label: '5xx' }),
      ],
      leftYAxis: { min: 0 },
      width: 8,
    }),
  );
  return dashboard;
}
