import { Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import { retryDelaySeconds, type RetryPolicy } from '../../../lib/parking/retry-policy.js';
import { workerMetric } from '../gateway-metrics.js';
import { countAlarm, period } from './alarm-kit.js';

/** The heading of the runbook entry (docs/operating.md) the alarm names. */
const parkedRunbook = 'A conversation is parked';

/** Minutes from an event's first failure until its conversation is parked, by the policy's delays. */
function minutesUntilParked(policy: RetryPolicy): number {
  let seconds = 0;
  for (let failures = 1; failures < policy.attempts; failures++) seconds += retryDelaySeconds(policy, failures);
  return Math.round(seconds / 60);
}

/**
 * The park alarm: a conversation was parked (or parked again by a resume) because an event's handler kept failing.
 * Its events wait in the park table, in order, until an operator resumes the conversation; nothing else brings it back.
 *
 * @param scope - where the alarm is made
 * @param policy - the worker's retry policy, for the description
 */
export function parkAlarms(scope: Construct, policy: RetryPolicy): Alarm[] {
  // A literal: the construct id or the stackName setting, never a token.
  const resume = `npm run resume -- --stack ${Stack.of(scope).stackName}`;
  return [
    countAlarm(scope, 'ConversationParked', {
      // Published by the worker only when it parked one, so no data is the normal state.
      metric: workerMetric(MetricNames.parkedConversations, { statistic: 'Sum', period }),
      threshold: 1,
      description:
        `A conversation is parked: one of its events failed its handler ${policy.attempts} times in a row (over about ` +
        `${minutesUntilParked(policy)} minutes), or again when resumed, so it and every later event of that conversation ` +
        'wait in the park table, in order, until you resume it; nothing is lost. ' +
        `${resume} --list shows each parked conversation with its failing event and error. Fix the cause, then run ` +
        `${resume} --conversation <id>; to drop the failing event instead of running it again, add --skip <event id>.`,
      runbook: parkedRunbook,
    }),
  ];
}
