/**
 * The two kinds of alarm the gateway makes, and the runbook reference every alarm's description ends with.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** The providers' deadline: they treat a delivery as failed when the answer takes longer. */
export const providerDeadline = Duration.seconds(2);
/** The period of every count alarm and of the dashboard's graphs. */
export const period = Duration.minutes(5);

/** What an alarm watches and what its description tells the operator. */
export interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  /** What it means and what to do, in a few sentences. */
  readonly description: string;
  /** The heading of its entry under "The alarms" in docs/operating.md (without the alarm ids in parentheses). */
  readonly runbook: string;
}

/**
 * The line that ends every alarm description, naming its entry in docs/operating.md.
 *
 * @param heading - the entry's heading, e.g. `A receiver failed`
 */
export function runbookLine(heading: string): string {
  return `Runbook: docs/operating.md › ${heading}.`;
}

function describe(spec: AlarmSpec): string {
  return `${spec.description} ${runbookLine(spec.runbook)}`;
}

/**
 * A count that should stay below a threshold (often 1): any five minutes at or above it alarm; no data means
 * nothing happened.
 */
export function countAlarm(scope: Construct, id: string, spec: AlarmSpec): Alarm {
  return new Alarm(scope, id, {
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: describe(spec),
  });
}

/** A p99 time: two of three five-minute periods at or above the threshold, so one slow cold call does not page. */
export function latencyAlarm(scope: Construct, id: string, spec: AlarmSpec): Alarm {
  return new Alarm(scope, id, {
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    // Webhook traffic is low: evaluate the percentile even from few calls instead of staying silent.
    evaluateLowSampleCountPercentile: 'evaluate',
    // No calls, nothing slow.
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: describe(spec),
  });
}

/** A count that must not stay below its threshold: no data is the breach (nothing arrived at all). */
export function absenceAlarm(scope: Construct, id: string, spec: AlarmSpec): Alarm {
  return new Alarm(scope, id, {
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.BREACHING,
    alarmDescription: describe(spec),
  });
}
