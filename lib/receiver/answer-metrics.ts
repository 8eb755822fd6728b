import { type EmfMetrics as Metrics, MetricUnit } from '../observability/emf.js';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MetricNames } from '../observability/names.js';
import { GatewayHttpError, type AnswerReason } from './http-errors.js';

/**
 * Counts every delivery and what became of it, and times the answer. Used outside the error-answers
 * middleware, so it sees the final answer, also when it was made from an error.
 */
export function answerMetrics(metrics: Metrics): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  // Keyed by the invocation's event: the local runtime runs invocations of one handler concurrently.
  const started = new WeakMap<object, number>();
  const record = (event: object, statusCode: number | undefined, error: unknown) => {
    metrics.addMetric(MetricNames.received, MetricUnit.Count, 1);
    metrics.addMetric(MetricNames.answerTime, MetricUnit.Milliseconds, performance.now() - (started.get(event) ?? performance.now()));
    if (statusCode === 200) metrics.addMetric(MetricNames.enqueued, MetricUnit.Count, 1);
    if (statusCode === 503) metrics.addMetric(MetricNames.enqueueFailures, MetricUnit.Count, 1);
    if (statusCode === 401) {
      metrics.addMetric(MetricNames.rejected, MetricUnit.Count, 1);
      const reason: AnswerReason = error instanceof GatewayHttpError ? error.reason : 'internal_error';
      // A second dimension set, published at once, so the per-provider series stays a single one for alarms.
      metrics.singleMetric().addDimension('reason', reason).addMetric(MetricNames.rejected, MetricUnit.Count, 1);
    }
  };
  return {
    before: (request) => {
      started.set(request.event, performance.now());
    },
    after: (request) => record(request.event, request.response?.statusCode, undefined),
    onError: (request) => record(request.event, request.response?.statusCode, request.error),
  };
}
