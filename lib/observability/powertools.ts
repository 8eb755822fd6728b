import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { metricLineLevel } from './metric-line-level.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names.js';
import { redactSensitive } from './redact.js';

/**
 * The gateway's logger: structured JSON (pretty-printed when `POWERTOOLS_DEV` is set), level from
 * `POWERTOOLS_LOG_LEVEL`, credentials redacted by the rule of `redact.ts`.
 */
export function createLogger(options: { readonly logLevel?: string; readonly persistentKeys?: Record<string, string> } = {}): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    jsonReplacerFn: redactSensitive,
    ...(options.logLevel ? { logLevel: options.logLevel as 'INFO' } : {}),
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
  });
}

interface LevelledMetricsOptions {
  readonly namespace: string;
  readonly serviceName: string;
  readonly defaultDimensions: Record<string, string>;
  readonly singleMetric?: boolean;
  /** The `level` of every line ({@link metricLineLevel}); none when Lambda keeps INFO lines. */
  readonly level: string | undefined;
}

/**
 * Powertools Metrics whose EMF lines, single metrics and the cold-start metric included, carry `level` and
 * `timestamp` when Lambda's log-level filter would drop an INFO line ({@link metricLineLevel}).
 */
class LevelledMetrics extends Metrics {
  readonly #options: LevelledMetricsOptions;

  constructor(options: LevelledMetricsOptions) {
    super(options);
    this.#options = options;
  }

  override publishStoredMetrics(): this {
    const { level } = this.#options;
    // Metadata is written beside the metrics and cleared with them.
    if (level !== undefined && this.hasStoredMetrics()) this.addMetadata('level', level).addMetadata('timestamp', new Date().toISOString());
    return super.publishStoredMetrics();
  }

  override singleMetric(): Metrics {
    return new LevelledMetrics({ ...this.#options, singleMetric: true });
  }
}

/** The gateway's metrics (EMF), with the given dimensions on every metric besides `service`. */
export function createMetrics(defaultDimensions: Record<string, string> = {}): Metrics {
  return new LevelledMetrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    defaultDimensions,
    level: metricLineLevel(),
  });
}
