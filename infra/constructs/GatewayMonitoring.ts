import { Duration } from 'aws-cdk-lib';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { RetryPolicy } from '../../lib/parking/retry-policy.js';
import { ENQUEUE_BUDGET } from '../../lib/queue/sqs-client.js';
import { AlarmTopic } from './AlarmTopic.js';
import { gatewayDashboard } from './monitoring/dashboard.js';
import type { MonitoredResources } from './monitoring/monitored-resources.js';
import { apiAlarms, queueAlarms, workerAlarms } from './monitoring/gateway-alarms.js';
import { destinationAlarms } from './monitoring/destination-alarms.js';
import { mediaAlarms } from './monitoring/media-alarms.js';
import { parkAlarms } from './monitoring/park-alarms.js';
import { workerTableAlarms } from './monitoring/worker-table-alarms.js';
import { receiverAlarms } from './monitoring/receiver-alarms.js';

/** The time a receiver has for the secret fetch and the enqueue together (`ENQUEUE_BUDGET.answerBudgetMs`). */
const answerBudget = Duration.millis(ENQUEUE_BUDGET.answerBudgetMs);
/** 80 % of the answer budget: a p99 enqueue there leaves a cold start's secret fetch no room, so 503s come next. */
const defaultEnqueueDurationThreshold = Duration.millis(Math.round(ENQUEUE_BUDGET.answerBudgetMs * 0.8));

export interface GatewayMonitoringProps extends MonitoredResources {
  /** The alarm on the dead-letter queue, made with the queue (`EventQueue`); it gets the same actions as the others. */
  readonly deadLetterAlarm: Alarm;
  /** The alarm on the archive's Firehose delivery, made with the stream (`ArchiveDeliveryStream`). @default - none (archiveDelivery "s3") */
  readonly archiveDeliveryAlarm?: Alarm | undefined;
  /** Age of the oldest queued event from which the queue-age alarm fires. */
  readonly queueAgeThreshold: Duration;
  /** p99 time to answer (receiver Duration, API Latency) from which the latency alarms fire. */
  readonly answerTimeThreshold: Duration;
  /** Refused deliveries of one provider within 5 minutes from which its rejected-webhooks alarm fires. */
  readonly rejectedWebhooksThreshold: number;
  /** The worker's maximum concurrency, drawn as a line on its concurrency graph. */
  readonly workerMaxConcurrency: number;
  /** The worker's retry policy: the park alarm says after how many runs, and how long, a conversation is parked. */
  readonly retryPolicy: RetryPolicy;
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
  /**
   * p99 enqueue duration of a receiver from which its slow-enqueue alarm fires.
   * @default - 80 % of the answer budget (`ENQUEUE_BUDGET.answerBudgetMs`), 1280 ms
   */
  readonly enqueueDurationThreshold?: Duration;
  /**
   * Minutes without a delivery after which a provider's silence alarm fires, by provider slug.
   * @default - no silence alarm
   */
  readonly silenceAlarmMinutes?: Readonly<Record<string, number>>;
  /**
   * The destinations' names: each gets a failures and an undelivered-age alarm, and a dashboard row.
   * @default - none
   */
  readonly destinations?: readonly string[];
  /** Failed tries of one destination within 5 minutes from which its failures alarm fires. @default 10 */
  readonly destinationFailuresThreshold?: number;
  /** Age of the oldest event a destination failed to take from which its alarm fires. @default 15 minutes */
  readonly undeliveredAgeThreshold?: Duration;
}

/**
 * What an operator watches: alarms that notify one SNS topic (on ALARM and again on OK) and a CloudWatch
 * dashboard. Composed of the queue, API, per-receiver, worker, park, idempotency and media alarms and the dashboard; every alarm's
 * description says what it means, what to do, and names its runbook entry in the README.
 */
export class GatewayMonitoring extends Construct {
  /** The topic every alarm notifies. */
  readonly topic: ITopic;
  /** Every alarm, the dead-letter alarm included. */
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GatewayMonitoringProps) {
    super(scope, id);
    const enqueueDurationThreshold = props.enqueueDurationThreshold ?? defaultEnqueueDurationThreshold;

    this.topic = props.topic ?? new AlarmTopic(this, 'AlarmTopic').topic;
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.alarms = [
      props.deadLetterAlarm,
      ...(props.archiveDeliveryAlarm ? [props.archiveDeliveryAlarm] : []),
      ...queueAlarms(this, props.queue, props.queueAgeThreshold),
      ...apiAlarms(this, props.apiStage, props.answerTimeThreshold),
      ...props.receivers.flatMap((receiver) =>
        receiverAlarms(this, receiver, {
          answerTime: props.answerTimeThreshold,
          enqueueDuration: enqueueDurationThreshold,
          rejectedWebhooks: props.rejectedWebhooksThreshold,
          silenceMinutes: props.silenceAlarmMinutes?.[receiver.provider.slug],
        }),
      ),
      ...workerAlarms(this, props.worker),
      ...parkAlarms(this, props.retryPolicy),
      ...workerTableAlarms(this, { idempotency: props.idempotencyTable, park: props.parkTable }),
      ...mediaAlarms(this),
      ...(props.destinations ?? []).flatMap((destination) =>
        destinationAlarms(this, destination, { failures: props.destinationFailuresThreshold ?? 10, undeliveredAge: props.undeliveredAgeThreshold ?? Duration.minutes(15) }),
      ),
    ];
    // OK actions too: whoever was notified learns that it is over without watching the console.
    const action = new SnsAction(this.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = gatewayDashboard(this, {
      ...props,
      alarms: this.alarms,
      lines: {
        answerTime: props.answerTimeThreshold,
        enqueueDuration: enqueueDurationThreshold,
        answerBudget,
        queueAge: props.queueAgeThreshold,
        workerMaxConcurrency: props.workerMaxConcurrency,
        destinationFailures: props.destinationFailuresThreshold ?? 10,
        undeliveredAge: props.undeliveredAgeThreshold ?? Duration.minutes(15),
      },
    });
  }
}
