/**
 * The gateway's own CloudWatch metrics, as the functions publish them (Powertools Metrics, EMF). Names,
 * namespace and dimensions come from `lib/observability/names.ts`, the contract the functions write to, so an
 * alarm cannot silently watch a metric nobody publishes.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, SearchExpression, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, SERVICE_NAME, type MetricNames } from '../../lib/observability/names.js';

/** One of the metric names of the contract (`WebhooksReceived`, `EventsFailed`, ...). */
export type GatewayMetricName = (typeof MetricNames)[keyof typeof MetricNames];

/**
 * A receiver metric of one provider, dimensions `{service, provider}`.
 *
 * @param metricName - e.g. `MetricNames.rejected`
 * @param provider - the provider's slug, the value of the `provider` dimension
 * @param options - statistic, period, label, ...
 */
export function receiverMetric(metricName: GatewayMetricName, provider: string, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, provider },
    ...options,
  });
}

/**
 * A worker metric over all providers and types, dimensions `{service}`: what the alarms watch.
 *
 * @param metricName - `MetricNames.processed` or `MetricNames.failed`
 * @param options - statistic, period, label, ...
 */
export function workerMetric(metricName: GatewayMetricName, options: MetricOptions = {}): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, ...options });
}

/**
 * Every `{service, provider, type}` series of a worker metric, one line per provider and event type, for a
 * dashboard graph (a SEARCH expression cannot be alarmed on). Types appear as they are first published,
 * without a deployment.
 *
 * @param metricName - `MetricNames.processed` or `MetricNames.failed`
 * @param period - the period of each data point
 */
export function workerMetricsByType(metricName: GatewayMetricName, period: Duration = Duration.minutes(5)): SearchExpression {
  return new SearchExpression({
    expression:
      `SEARCH('{${METRICS_NAMESPACE},provider,service,type} ` +
      `service="${SERVICE_NAME}" MetricName="${metricName}"', 'Sum', ${period.toSeconds()})`,
    // The empty label keeps each series' own label: its provider and type.
    label: '',
    period,
  });
}

/**
 * A worker metric of one destination, dimensions `{service, destination}` (`Delivered`, `DeliveryFailed`, ...).
 *
 * @param metricName - e.g. `MetricNames.deliveryFailed`
 * @param destination - the destination's name, the value of the `destination` dimension
 * @param options - statistic, period, label, ...
 */
export function destinationMetric(metricName: GatewayMetricName, destination: string, options: MetricOptions = {}): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME, destination }, ...options });
}

/**
 * Every `{service, destination}` series of a destination metric, one line per destination, for a dashboard graph.
 *
 * @param metricName - e.g. `MetricNames.delivered`
 * @param statistic - `Sum`, `p99`, `Maximum`...
 * @param period - the period of each data point
 */
export function destinationMetricsByName(metricName: GatewayMetricName, statistic: string, period: Duration = Duration.minutes(5)): SearchExpression {
  return new SearchExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},destination,service} service="${SERVICE_NAME}" MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    // The empty label keeps each series' own label: its destination.
    label: '',
    period,
  });
}
