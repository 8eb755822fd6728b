import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import { destinationMetric } from '../gateway-metrics.js';
import { pascalCase } from '../../construct-ids.js';
import { countAlarm, period } from './alarm-kit.js';

/** The headings of the runbook entries (docs/operating.md) the alarms name. */
const destinationRunbooks = { failing: 'A destination keeps failing', undelivered: 'Events wait to be delivered' } as const;

export interface DestinationAlarmThresholds {
  /** Failed tries of one destination within 5 minutes. */
  readonly failures: number;
  /** Age of the oldest event a destination failed to take. */
  readonly undeliveredAge: Duration;
}

/**
 * Per destination: its tries keep failing (a retryable failure, a refusal or an open circuit), and an event it has not
 * taken was accepted long ago (published while it fails; a parked conversation is the park alarm's).
 *
 * @param scope - where the alarms are made
 * @param destination - the destination's name (its metrics' `destination` dimension)
 */
export function destinationAlarms(scope: Construct, destination: string, thresholds: DestinationAlarmThresholds): Alarm[] {
  const id = pascalCase(destination);
  const ageSeconds = thresholds.undeliveredAge.toSeconds();
  return [
    countAlarm(scope, `Destination${id}Failing`, {
      metric: destinationMetric(MetricNames.deliveryFailed, destination, { statistic: 'Sum', period }),
      threshold: thresholds.failures,
      description:
        `Destination ${destination} failed ${String(thresholds.failures)} tries or more in 5 minutes: its endpoint answers 5xx, 408 or 429, ` +
        'times out, cannot be reached, or refuses events for good (another 4xx, a redirect, an address the policy refuses). ' +
        'Its events are retried, its conversations parked after the last attempt; other destinations and the code handlers go on. ' +
        'Look at the worker log lines "Delivery failed" with destination=' + destination + ' for the status and error.',
      runbook: destinationRunbooks.failing,
    }),
    countAlarm(scope, `Destination${id}Undelivered`, {
      metric: destinationMetric(MetricNames.undeliveredAge, destination, { statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: ageSeconds,
      description:
        `An event destination ${destination} has not taken was accepted ${String(ageSeconds)} s ago or more: its endpoint keeps failing it, ` +
        'and it and the later events of its conversation wait (in order) for retries, then for npm run resume once parked.',
      runbook: destinationRunbooks.undelivered,
    }),
  ];
}
