import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { WebhookEvent } from '../events/schema.js';
import { MetricNames } from '../observability/names.js';

/** What became of one message: its handler ran, it failed, or it was a duplicate of an event already handled. */
export type Outcome = 'processed' | 'failed' | 'duplicate';

/**
 * Counts the events of one batch by outcome, provider and type, then publishes them: the totals on the
 * function's metrics (dimension `service`, for alarms), and one line per provider and type (for the
 * dashboard). Provider and type come from the event; a message that is not a valid event counts as `unknown`.
 */
export class BatchOutcomes {
  readonly #counts = new Map<string, { outcome: Outcome; provider: string; type: string; count: number }>();

  add(outcome: Outcome, event: WebhookEvent | undefined): void {
    const provider = event?.provider ?? 'unknown';
    const type = event?.type ?? 'unknown';
    const key = `${outcome}\u0000${provider}\u0000${type}`;
    const entry = this.#counts.get(key) ?? { outcome, provider, type, count: 0 };
    entry.count++;
    this.#counts.set(key, entry);
  }

  publish(metrics: Metrics): void {
    const totals: Record<Outcome, number> = { processed: 0, failed: 0, duplicate: 0 };
    for (const { outcome, provider, type, count } of this.#counts.values()) {
      totals[outcome] += count;
      metrics.singleMetric().addDimensions({ provider, type }).addMetric(MetricNames[outcome], MetricUnit.Count, count);
    }
    metrics.addMetric(MetricNames.processed, MetricUnit.Count, totals.processed);
    metrics.addMetric(MetricNames.failed, MetricUnit.Count, totals.failed);
    metrics.addMetric(MetricNames.duplicate, MetricUnit.Count, totals.duplicate);
  }
}
