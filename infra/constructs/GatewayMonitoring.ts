import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  Color,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IMetric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricNames } from '../../lib/observability/names.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { pascalCase } from '../construct-ids.js';
import { AlarmTopic } from './AlarmTopic.js';
import { receiverMetric, workerMetric, workerMetricsByType, type GatewayMetricName } from './gateway-metrics.js';

/** The providers' deadline: they treat a delivery as failed when the answer takes longer. */
const providerDeadline = Duration.seconds(2);
/** The period of every count alarm and of the dashboard's graphs. */
const period = Duration.minutes(5);

/** A receiver to watch: a `WebhookReceiverFunction` is one. */
export interface MonitoredReceiver {
  /** Its provider; the slug is the `provider` dimension of the receiver's metrics. */
  readonly provider: Pick<ProviderDefinition, 'slug' | 'displayName'>;
  readonly function: IFunction;
}

export interface GatewayMonitoringProps {
  /** The API stage the providers call: its 5xx count and latency are what they experience. */
  readonly apiStage: IHttpStage;
  /** One receiver per provider. */
  readonly receivers: readonly MonitoredReceiver[];
  /** The worker that consumes {@link GatewayMonitoringProps.queue}. */
  readonly worker: IFunction;
  /** The main FIFO queue. */
  readonly queue: IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: IQueue;
  /** The alarm on the dead-letter queue, made with the queue (`EventQueue`); it gets the same actions as the others. */
  readonly deadLetterAlarm: Alarm;
  /**
   * Where the alarms go. A topic given here must let CloudWatch publish (and use its KMS key).
   * @default - a new {@link AlarmTopic}
   */
  readonly topic?: ITopic;
  /**
   * Subscribed to the topic; SNS mails the address a confirmation link, and delivers nothing until it is followed.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /** Age of the oldest queued event from which the queue-age alarm fires. @default Duration.minutes(5) */
  readonly queueAgeThreshold?: Duration;
  /** p99 time to answer (receiver Duration, API Latency) from which the latency alarms fire. @default Duration.millis(1500) */
  readonly answerTimeThreshold?: Duration;
  /** Refused deliveries of one provider within 5 minutes from which its rejected-webhooks alarm fires. @default 10 */
  readonly rejectedWebhooksThreshold?: number;
  /** The worker's maximum concurrency, drawn as a line on its concurrency graph. @default - no line */
  readonly workerMaxConcurrency?: number;
}

/**
 * What an operator watches: alarms that notify one SNS topic (on ALARM and again on OK) and a CloudWatch
 * dashboard. Alarms: a dead-lettered event; events waiting too long; 5xx answers and slow answers of the API;
 * per receiver errors, slow answers, throttles and a rise in refused deliveries; worker failures, errors and
 * throttles. Every alarm's description says what it means and what to do; "Operating it" in the README says more.
 */
export class GatewayMonitoring extends Construct {
  /** The topic every alarm notifies. */
  readonly topic: ITopic;
  /** Every alarm, the dead-letter alarm included. */
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GatewayMonitoringProps) {
    super(scope, id);
    const queueAgeThreshold = props.queueAgeThreshold ?? Duration.minutes(5);
    const answerTimeThreshold = props.answerTimeThreshold ?? Duration.millis(1500);
    const answerTimeMs = answerTimeThreshold.toMilliseconds();
    const rejectedThreshold = props.rejectedWebhooksThreshold ?? 10;

    this.topic = props.topic ?? new AlarmTopic(this, 'AlarmTopic').topic;
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarms: Alarm[] = [];
    // OK actions too: whoever was notified learns that it is over without watching the console.
    const notify = (alarm: Alarm): Alarm => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.push(alarm);
      return alarm;
    };
    /** A count that should be zero (or below a threshold): any five minutes at or above it alarm. */
    const countAlarm = (alarmId: string, metric: IMetric, threshold: number, description: string): Alarm =>
      notify(
        new Alarm(this, alarmId, {
          metric,
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // No data means nothing happened: no error, no rejection.
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        }),
      );
    /** A p99 time: two of three five-minute periods at or above the threshold, so one slow cold call does not page. */
    const latencyAlarm = (alarmId: string, metric: IMetric, description: string): Alarm =>
      notify(
        new Alarm(this, alarmId, {
          metric,
          threshold: answerTimeMs,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          // Webhook traffic is low: evaluate the percentile even from few calls instead of staying silent.
          evaluateLowSampleCountPercentile: 'evaluate',
          // No calls, nothing slow.
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription: description,
        }),
      );

    // --- Queue: dead letters and events waiting ----------------------------------------------------------------
    notify(props.deadLetterAlarm);
    countAlarm(
      'QueueOldestEventAge',
      props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) }),
      queueAgeThreshold.toSeconds(),
      `An event has waited ${queueAgeThreshold.toSeconds()} s or more in the queue: the worker is not keeping up, or a ` +
        'failing event blocks its conversation (FIFO message group) while it is retried. Check the worker alarms and ' +
        'its concurrency on the dashboard; if the worker is healthy but at its limit, raise workerMaxConcurrency.',
    );

    // --- API: what the providers see ---------------------------------------------------------------------------
    countAlarm(
      'ApiServerErrors',
      props.apiStage.metricServerError({ statistic: 'Sum', period }),
      1,
      'The API answered a delivery with a 5xx: a receiver failed, timed out, was throttled or could not enqueue ' +
        '(503). The provider retries or the delivery is lost. Find the 5xx requests in the API access logs, then ' +
        "the receiver's log lines at that time; the receiver alarms tell which one.",
    );
    latencyAlarm(
      'ApiSlowAnswers',
      props.apiStage.metricLatency({ statistic: 'p99', period }),
      `The API's p99 time to answer reached ${answerTimeMs} ms; providers give up after ` +
        `${providerDeadline.toSeconds()} s. It includes cold starts, which receiver Duration does not: if no ` +
        'receiver is slow, the cold starts are (raise the receiver memory); otherwise follow the slow receiver in X-Ray.',
    );

    // --- Receivers, one set per provider -----------------------------------------------------------------------
    for (const { provider, function: receiver } of props.receivers) {
      const name = pascalCase(provider.slug);
      countAlarm(
        `${name}ReceiverErrors`,
        receiver.metricErrors({ statistic: 'Sum', period }),
        1,
        `The ${provider.displayName} receiver failed with an unhandled error or a timeout, and the provider got a ` +
          "5xx. Read the ERROR lines of the receiver's log group and its X-Ray traces at that time, fix, deploy.",
      );
      latencyAlarm(
        `${name}ReceiverSlow`,
        receiver.metricDuration({ statistic: 'p99', period }),
        `The ${provider.displayName} receiver's p99 duration reached ${answerTimeMs} ms, close to the providers' ` +
          `${providerDeadline.toSeconds()}-second limit. Its X-Ray traces show the slow part (secret fetch or SQS ` +
          'send); check the AWS Health Dashboard for those services in this region.',
      );
      countAlarm(
        `${name}ReceiverThrottled`,
        receiver.metricThrottles({ statistic: 'Sum', period }),
        1,
        `Lambda refused to run the ${provider.displayName} receiver (throttled): the account's concurrency in this ` +
          'region is used up, and deliveries got an error answer. Find what uses the concurrency (Lambda console, ' +
          'ConcurrentExecutions) and ask for a higher quota or cap that function.',
      );
      countAlarm(
        `${name}WebhooksRejected`,
        receiverMetric(MetricNames.rejected, provider.slug, { statistic: 'Sum', period }),
        rejectedThreshold,
        `${rejectedThreshold} or more ${provider.displayName} deliveries were refused (401) within 5 minutes. ` +
          "The receiver's log gives the reason: signature_mismatch from the provider means the secret changed on " +
          'one side (store it again, with the old one as "previous"); missing or malformed signatures from unknown ' +
          'addresses in the access logs mean someone is probing the URL.',
      );
    }

    // --- Worker ------------------------------------------------------------------------------------------------
    countAlarm(
      'WorkerEventsFailed',
      workerMetric(MetricNames.failed, { statistic: 'Sum', period }),
      1,
      "The worker's handlers failed on at least one event; it is retried, then moved to the dead-letter queue. " +
        "The worker's log has the failure with the event id, provider and type: fix the handler or what it calls.",
    );
    countAlarm(
      'WorkerErrors',
      props.worker.metricErrors({ statistic: 'Sum', period }),
      1,
      'A worker invocation failed as a whole (crash, timeout or out of memory), so its whole batch goes back to ' +
        "the queue. The worker's log shows the error or the REPORT line of the timeout; fix it, or raise the " +
        "worker's timeout or memory.",
    );
    countAlarm(
      'WorkerThrottled',
      props.worker.metricThrottles({ statistic: 'Sum', period }),
      1,
      "Lambda refused to run the worker (throttled): the account's concurrency in this region is used up and " +
        'events wait in the queue. Find what uses the concurrency (Lambda console, ConcurrentExecutions) and ask ' +
        'for a higher quota or cap that function.',
    );

    this.alarms = alarms;
    this.dashboard = this.createDashboard(props, { queueAgeSeconds: queueAgeThreshold.toSeconds(), answerTimeMs });
  }

  /** Alarms on top, then one row per provider, then the queue, the worker, and errors of all functions. */
  private createDashboard(props: GatewayMonitoringProps, thresholds: { queueAgeSeconds: number; answerTimeMs: number }): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const deadline: HorizontalAnnotation = { value: providerDeadline.toMilliseconds(), label: 'provider deadline', color: Color.RED };
    const alarmLine: HorizontalAnnotation = { value: thresholds.answerTimeMs, label: 'alarm', color: Color.ORANGE };

    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Chat webhook gateway\nDeliveries per provider, the queue, the worker. Every alarm notifies the ' +
          'topic of the `AlarmTopicArn` output; what each one means and what to do: "Operating it" in the README.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new AlarmStatusWidget({ alarms: [...this.alarms], sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP, width: 24, height: 6 }),
    );

    for (const { provider, function: receiver } of props.receivers) {
      const sum = (metricName: GatewayMetricName, label: string) =>
        receiverMetric(metricName, provider.slug, { statistic: 'Sum', period, label });
      dashboard.addWidgets(
        new GraphWidget({
          title: `${provider.displayName}: deliveries`,
          left: [
            sum(MetricNames.received, 'received'),
            sum(MetricNames.rejected, 'rejected (401)'),
            sum(MetricNames.enqueued, 'enqueued (200)'),
            sum(MetricNames.enqueueFailures, 'enqueue failed (503)'),
          ],
          leftYAxis: { min: 0 },
          width: 12,
        }),
        new GraphWidget({
          title: `${provider.displayName}: time to answer (ms)`,
          left: [
            receiverMetric(MetricNames.answerTime, provider.slug, { statistic: 'p50', period, label: 'answer p50' }),
            receiverMetric(MetricNames.answerTime, provider.slug, { statistic: 'p99', period, label: 'answer p99' }),
            receiver.metricDuration({ statistic: 'p99', period, label: 'Lambda duration p99' }),
          ],
          leftAnnotations: [deadline, alarmLine],
          leftYAxis: { min: 0 },
          width: 12,
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
        rightAnnotations: [{ value: thresholds.queueAgeSeconds, label: 'alarm', color: Color.ORANGE }],
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
        leftAnnotations:
          props.workerMaxConcurrency === undefined ? [] : [{ value: props.workerMaxConcurrency, label: 'maximum', color: Color.GREY }],
        leftYAxis: { min: 0 },
        width: 8,
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
}
