import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { MetricNames } from '../../../lib/observability/names.js';
import { workerMetric } from '../gateway-metrics.js';
import { countAlarm, period } from './alarm-kit.js';

/** The heading of the runbook entry (docs/operating.md) the alarm names. */
const mediaRunbook = 'Attachments were not stored';

/**
 * The media alarm: an attachment's file could not be stored after its retries (`MediaFailed`). The event went on with
 * `stored: null` and the reason; its handler had only the provider's URL, which expires.
 */
export function mediaAlarms(scope: Construct): Alarm[] {
  return [
    countAlarm(scope, 'MediaFailed', {
      metric: workerMetric(MetricNames.mediaFailed, { statistic: 'Sum', period }),
      threshold: 1,
      description:
        "An attachment's file was not stored in the archive bucket after its retries: its event went on with stored null " +
        'and storeFailure.reason (not_found, too_large, sha256_mismatch, timeout, refused...), and its handler had only the ' +
        "provider's URL, which expires. The worker's log line 'Attachment not stored' names the event and the reason.",
      runbook: mediaRunbook,
    }),
  ];
}
