import type { SQSClient } from '@aws-sdk/client-sqs';
import { type EmfMetrics, MetricUnit } from './emf.js';
import { MetricNames } from './names.js';

/**
 * Publishes `EnqueueDuration` for every call of `sqs`, whatever its outcome: the time from the command's start
 * to its answer or its failure, retries included (an SDK middleware at the `initialize` step, which wraps them).
 * A receiver's client sends only `SendMessage`. Added by name, so wiring a client twice replaces, not doubles.
 */
export function recordEnqueueDuration(sqs: SQSClient, metrics: EmfMetrics): void {
  sqs.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        metrics.addMetric(MetricNames.enqueueDuration, MetricUnit.Milliseconds, performance.now() - started);
      }
    },
    { step: 'initialize', name: 'gatewayEnqueueDuration', override: true },
  );
}
