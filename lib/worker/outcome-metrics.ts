import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { WebhookEvent } from '../events/schema.js';
import { MetricNames } from '../observability/names.js';

/**
 * What became of one message: its handler ran; it failed (retried later); a duplicate of an event already handled;
 * a copy whose id was handled with other content (`conflict`); parked; skipped by a resume; no event, so
 * dead-lettered; a control message; not run this time through no fault of its own (`deferred`), or held back behind
 * an earlier event of its conversation (`held`).
 */
export type Outcome = 'processed' | 'failed' | 'duplicate' | 'conflict' | 'parked' | 'skipped' | 'dead-lettered' | 'control' | 'deferred' | 'held';

/** The outcomes counted as metrics, by name; the others (control, deferred, held) are not the events' own. */
const OUTCOME_METRICS = {
  processed: MetricNames.processed,
  failed: MetricNames.failed,
  duplicate: MetricNames.duplicate,
  conflict: MetricNames.conflicting,
  parked: MetricNames.parked,
  skipped: MetricNames.skipped,
  'dead-lettered': MetricNames.deadLettered,
} as const satisfies Partial<Record<Outcome, string>>;
type CountedOutcome = keyof typeof OUTCOME_METRICS;

const isCounted = (outcome: Outcome): outcome is CountedOutcome => outcome in OUTCOME_METRICS;

/**
 * Counts the events of one batch by outcome, provider and type, then publishes them: one EMF document per outcome,
 * provider and type, under two dimension sets at once, `{service}` (the totals the alarms watch: CloudWatch sums the
 * documents) and `{service, provider, type}` (the dashboard's lines). Only what happened is written: a count of zero
 * is no document, and an alarm treats the missing data as nothing happened. Provider and type come from the event;
 * a message that is not a valid event counts as `unknown`.
 */
export class BatchOutcomes {
  readonly #counts = new Map<string, { outcome: CountedOutcome; provider: string; type: string; count: number }>();

  add(outcome: Outcome, event: WebhookEvent | undefined): void {
    if (!isCounted(outcome)) return;
    const provider = event?.provider ?? 'unknown';
    const type = event?.type ?? 'unknown';
    const key = `${outcome}\u0000${provider}\u0000${type}`;
    const entry = this.#counts.get(key) ?? { outcome, provider, type, count: 0 };
    entry.count++;
    this.#counts.set(key, entry);
  }

  /** @param batch - what the batch did beyond its events: conversations newly parked */
  publish(metrics: Metrics, batch: { readonly parkedConversations: number } = { parkedConversations: 0 }): void {
    for (const { outcome, provider, type, count } of this.#counts.values()) {
      // An empty set is the default dimensions alone (`{service}`); the second adds provider and type.
      metrics.singleMetric().addDimensions({}).addDimensions({ provider, type }).addMetric(OUTCOME_METRICS[outcome], MetricUnit.Count, count);
    }
    if (batch.parkedConversations > 0) metrics.addMetric(MetricNames.parkedConversations, MetricUnit.Count, batch.parkedConversations);
  }
}
