import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { MetricNames } from '../observability/names.js';
import type { MediaResult } from './event-media.js';

/** The media of one batch, counted for its metrics: files stored now, their bytes, files that could not be stored. */
export class BatchMedia {
  #stored = 0;
  #bytes = 0;
  #failed = 0;

  add(result: MediaResult): void {
    if (result.kind === 'stored') {
      this.#stored++;
      this.#bytes += result.stored.size;
    } else if (result.kind === 'failed') {
      this.#failed++;
    }
  }

  /**
   * Publishes the totals that are not zero: a batch without attachments writes nothing (the failures alarm treats
   * the missing data as nothing failed; the dashboard shows a gap instead of 0).
   */
  publish(metrics: Metrics): void {
    if (this.#stored > 0) {
      metrics.addMetric(MetricNames.mediaStored, MetricUnit.Count, this.#stored);
      metrics.addMetric(MetricNames.mediaBytes, MetricUnit.Bytes, this.#bytes);
    }
    if (this.#failed > 0) metrics.addMetric(MetricNames.mediaFailed, MetricUnit.Count, this.#failed);
  }
}
