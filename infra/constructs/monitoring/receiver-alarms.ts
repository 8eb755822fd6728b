import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import type { ProviderDefinition } from '../../../lib/providers/types.js';
import { pascalCase } from '../../construct-ids.js';
import { receiverMetric } from '../gateway-metrics.js';
import { absenceAlarm, countAlarm, latencyAlarm, period, providerDeadline } from './alarm-kit.js';

/** A receiver to watch: a `WebhookReceiverFunction` is one. */
export interface MonitoredReceiver {
  /** Its provider; the slug is the `provider` dimension of the receiver's metrics. */
  readonly provider: Pick<ProviderDefinition, 'slug' | 'displayName'>;
  readonly function: IFunction;
}

export interface ReceiverAlarmSettings {
  /** p99 receiver duration from which its slow alarm fires. */
  readonly answerTime: Duration;
  /** p99 enqueue duration from which its slow-enqueue alarm fires. */
  readonly enqueueDuration: Duration;
  /** Refused deliveries within 5 minutes from which its rejected-webhooks alarm fires. */
  readonly rejectedWebhooks: number;
  /** Minutes without a delivery after which its silence alarm fires; no silence alarm when undefined. */
  readonly silenceMinutes: number | undefined;
}

/**
 * The alarms of one provider's receiver: errors, slow answers, throttles, refused deliveries, slow enqueues, and
 * optionally silence. Ids start with the provider's PascalCase name (`QikchatReceiverErrors`).
 *
 * @param scope - where the alarms are made (the monitoring construct)
 * @param receiver - the receiver and its provider
 * @param settings - the thresholds
 */
export function receiverAlarms(scope: Construct, receiver: MonitoredReceiver, settings: ReceiverAlarmSettings): Alarm[] {
  const { provider, function: fn } = receiver;
  const name = pascalCase(provider.slug);
  const answerTimeMs = settings.answerTime.toMilliseconds();
  const enqueueMs = settings.enqueueDuration.toMilliseconds();
  const alarms = [
    countAlarm(scope, `${name}ReceiverErrors`, {
      metric: fn.metricErrors({ statistic: 'Sum', period }),
      threshold: 1,
      description:
        `The ${provider.displayName} receiver failed with an unhandled error or a timeout, and the provider got a ` +
        "5xx. Read the ERROR lines of the receiver's log group and its X-Ray traces at that time, fix, deploy.",
      runbook: 'A receiver failed',
    }),
    latencyAlarm(scope, `${name}ReceiverSlow`, {
      metric: fn.metricDuration({ statistic: 'p99', period }),
      threshold: answerTimeMs,
      description:
        `The ${provider.displayName} receiver's p99 duration reached ${answerTimeMs} ms, close to the providers' ` +
        `${providerDeadline.toSeconds()}-second limit. Its enqueue duration on the dashboard and its traces show the ` +
        'slow part (secret fetch or SQS send); check the AWS Health Dashboard for those services in this region.',
      runbook: 'Slow answers',
    }),
    countAlarm(scope, `${name}ReceiverThrottled`, {
      metric: fn.metricThrottles({ statistic: 'Sum', period }),
      threshold: 1,
      description:
        `Lambda refused to run the ${provider.displayName} receiver (throttled): the account's concurrency in this ` +
        'region is used up, or the receiver reached its reserved concurrency, and deliveries got an error answer. ' +
        'Find what uses the concurrency (ConcurrentExecutions) and raise the quota or receiverReservedConcurrency.',
      runbook: 'A function was throttled',
    }),
    countAlarm(scope, `${name}WebhooksRejected`, {
      metric: receiverMetric(MetricNames.rejected, provider.slug, { statistic: 'Sum', period }),
      threshold: settings.rejectedWebhooks,
      description:
        `${settings.rejectedWebhooks} or more ${provider.displayName} deliveries were refused (401) within 5 minutes. ` +
        "The receiver's log gives the reason: signature_mismatch from the provider means the secret changed on " +
        'one side (store it again, with the old one as "previous"); missing or malformed signatures from unknown ' +
        'addresses in the access logs mean someone is probing the URL.',
      runbook: 'Deliveries are being refused',
    }),
    latencyAlarm(scope, `${name}EnqueueSlow`, {
      metric: receiverMetric(MetricNames.enqueueDuration, provider.slug, { statistic: 'p99', period }),
      threshold: enqueueMs,
      description:
        `The ${provider.displayName} receiver's p99 enqueue (SQS SendMessage) took ${enqueueMs} ms or more, close to ` +
        'the answer budget it shares with the secret fetch; beyond it deliveries are answered 503. Check the AWS ' +
        'Health Dashboard for SQS in this region and the enqueue failures on the dashboard.',
      runbook: 'Enqueues are slow',
    }),
  ];
  if (settings.silenceMinutes !== undefined) {
    alarms.push(
      absenceAlarm(scope, `${name}Silent`, {
        metric: receiverMetric(MetricNames.received, provider.slug, { statistic: 'Sum', period: Duration.minutes(settings.silenceMinutes) }),
        threshold: 1,
        description:
          `No ${provider.displayName} delivery reached the gateway for ${settings.silenceMinutes} minutes. A provider ` +
          "that dropped or disabled our URL (after too many failures, or a change in its dashboard) shows as this " +
          "silence, not as errors: check the URL registered in the provider's dashboard and its delivery log.",
        runbook: 'A provider went silent',
      }),
    );
  }
  return alarms;
}
