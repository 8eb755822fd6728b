import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import { workerMetric } from '../gateway-metrics.js';
import { countAlarm, latencyAlarm, period, providerDeadline } from './alarm-kit.js';

/**
 * The queue-age alarm: the oldest event has waited too long (the dead-letter alarm is made with the queue).
 *
 * @param scope - where the alarm is made
 * @param queue - the main queue
 * @param threshold - the age from which it fires
 */
export function queueAlarms(scope: Construct, queue: IQueue, threshold: Duration): Alarm[] {
  return [
    countAlarm(scope, 'QueueOldestEventAge', {
      metric: queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: threshold.toSeconds(),
      description:
        `An event has waited ${threshold.toSeconds()} s or more in the queue: the worker is not keeping up, or a ` +
        'failing event blocks its conversation (FIFO message group) while it is retried, until it is parked. Check the worker alarms and ' +
        'its concurrency on the dashboard; if the worker is healthy but at its limit, raise workerMaxConcurrency.',
      runbook: 'Events wait too long in the queue',
    }),
  ];
}

/**
 * What the providers see of the API: 5xx answers and slow answers.
 *
 * @param scope - where the alarms are made
 * @param stage - the stage the providers call
 * @param answerTime - the p99 latency from which the slow-answers alarm fires
 */
export function apiAlarms(scope: Construct, stage: IHttpStage, answerTime: Duration): Alarm[] {
  const answerTimeMs = answerTime.toMilliseconds();
  return [
    countAlarm(scope, 'ApiServerErrors', {
      metric: stage.metricServerError({ statistic: 'Sum', period }),
      threshold: 1,
      description:
        'The API answered a delivery with a 5xx: a receiver failed, timed out, was throttled or could not enqueue ' +
        '(503). The provider retries or the delivery is lost. Find the 5xx requests in the API access logs, then ' +
        "the receiver's log lines at that time; the receiver alarms tell which one.",
      runbook: 'The API answered with a 5xx',
    }),
    latencyAlarm(scope, 'ApiSlowAnswers', {
      metric: stage.metricLatency({ statistic: 'p99', period }),
      threshold: answerTimeMs,
      description:
        `The API's p99 time to answer reached ${answerTimeMs} ms; providers give up after ` +
        `${providerDeadline.toSeconds()} s. It includes cold starts, which receiver Duration does not: if no ` +
        'receiver is slow, the cold starts are (raise the receiver memory); otherwise follow the slow receiver.',
      runbook: 'Slow answers',
    }),
  ];
}

/**
 * The worker's alarms: events its handlers failed, invocations that failed as a whole, throttles.
 *
 * @param scope - where the alarms are made
 * @param worker - the worker function
 */
export function workerAlarms(scope: Construct, worker: IFunction): Alarm[] {
  return [
    countAlarm(scope, 'WorkerEventsFailed', {
      metric: workerMetric(MetricNames.failed, { statistic: 'Sum', period }),
      threshold: 1,
      description:
        "The worker's handlers failed on at least one event; it is retried after a growing delay, the later events " +
        'of its conversation held back behind it, and if it keeps failing its conversation is parked (ConversationParked). ' +
        "The worker's log has the failure with the event id, provider and type: fix the handler or what it calls.",
      runbook: 'The worker failed on events',
    }),
    countAlarm(scope, 'WorkerErrors', {
      metric: worker.metricErrors({ statistic: 'Sum', period }),
      threshold: 1,
      description:
        'A worker invocation failed as a whole (crash, timeout or out of memory), so its whole batch goes back to ' +
        "the queue. The worker's log shows the error or the REPORT line of the timeout; fix it, or raise the " +
        "worker's timeout or memory.",
      runbook: 'The worker failed on events',
    }),
    countAlarm(scope, 'WorkerThrottled', {
      metric: worker.metricThrottles({ statistic: 'Sum', period }),
      threshold: 1,
      description:
        "Lambda refused to run the worker (throttled): the account's concurrency in this region is used up and " +
        'events wait in the queue. Find what uses the concurrency (Lambda console, ConcurrentExecutions) and ask ' +
        'for a higher quota or cap that function.',
      runbook: 'A function was throttled',
    }),
  ];
}
