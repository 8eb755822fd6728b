import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { MetricNames } from '../observability/names.js';

/** Makes a Metrics with these dimensions (besides `service`): `createMetrics` of lib/observability/powertools.ts. */
export type MetricsFactory = (dimensions: Record<string, string>) => Metrics;

interface Tally {
  delivered: number;
  failed: number;
  attempts: number;
  latencies: number[];
  /** The oldest undelivered event seen failing, in seconds since it was accepted. */
  oldestUndeliveredSeconds: number | undefined;
}

/**
 * The per-destination metrics (dimensions `{service, destination}`), gathered per worker instance and published once
 * per batch: `Delivered`, `DeliveryFailed`, `DeliveryAttempts` (requests sent: an open circuit sends none),
 * `DeliveryLatency` (ms, p50/p99 on the dashboard) and `UndeliveredAge` (seconds since the oldest event that failed
 * was accepted; its alarm watches the maximum).
 */
export class DeliveryMetrics {
  readonly #tallies = new Map<string, Tally>();
  readonly #metrics = new Map<string, Metrics>();

  constructor(readonly factory: MetricsFactory | undefined) {}

  #tally(destination: string): Tally {
    let tally = this.#tallies.get(destination);
    if (!tally) {
      tally = { delivered: 0, failed: 0, attempts: 0, latencies: [], oldestUndeliveredSeconds: undefined };
      this.#tallies.set(destination, tally);
    }
    return tally;
  }

  sent(destination: string): void {
    this.#tally(destination).attempts++;
  }

  delivered(destination: string, latencyMs: number): void {
    const tally = this.#tally(destination);
    tally.delivered++;
    tally.latencies.push(latencyMs);
  }

  failed(destination: string, latencyMs: number, acceptedAt: number | undefined): void {
    const tally = this.#tally(destination);
    tally.failed++;
    tally.latencies.push(latencyMs);
    if (acceptedAt !== undefined) tally.oldestUndeliveredSeconds = Math.max(tally.oldestUndeliveredSeconds ?? 0, Math.max(0, Math.round((Date.now() - acceptedAt) / 1_000)));
  }

  /** Publishes and clears what was gathered; nothing without a factory (locally). */
  publish(): void {
    const factory = this.factory;
    if (!factory) {
      this.#tallies.clear();
      return;
    }
    for (const [destination, tally] of this.#tallies) {
      let metrics = this.#metrics.get(destination);
      if (!metrics) {
        metrics = factory({ destination });
        this.#metrics.set(destination, metrics);
      }
      // Counts of zero are not written: the failing alarm treats missing data as nothing failed.
      if (tally.delivered > 0) metrics.addMetric(MetricNames.delivered, MetricUnit.Count, tally.delivered);
      if (tally.failed > 0) metrics.addMetric(MetricNames.deliveryFailed, MetricUnit.Count, tally.failed);
      if (tally.attempts > 0) metrics.addMetric(MetricNames.deliveryAttempts, MetricUnit.Count, tally.attempts);
      for (const latency of tally.latencies) metrics.addMetric(MetricNames.deliveryLatency, MetricUnit.Milliseconds, latency);
      if (tally.oldestUndeliveredSeconds !== undefined) metrics.addMetric(MetricNames.undeliveredAge, MetricUnit.Seconds, tally.oldestUndeliveredSeconds);
      metrics.publishStoredMetrics();
    }
    this.#tallies.clear();
  }
}
