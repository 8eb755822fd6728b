import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { coldStartFigures, INIT_DURATION_METRIC, MEMORY_USED_METRIC } from './cold-start.js';
import { lambdaLogKeys } from './lambda-log-keys.js';
import { metricLineLevel } from './metric-line-level.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names.js';
import { redactSensitive } from './redact.js';

/** Powertools' line without `service` and `sampling_rate`, with the Lambda keys of `lambda-log-keys.ts`. */
class GatewayLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        ...lambdaLogKeys(
          attributes.logLevel,
          context && { coldStart: context.coldStart, functionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB, functionName: context.functionName, awsRequestId: context.awsRequestId },
          attributes.xRayTraceId,
        ),
      },
    }).addAttributes(additionalLogAttributes);
  }
}

/**
 * The gateway's logger: structured JSON (pretty-printed when `POWERTOOLS_DEV` is set), level from
 * `POWERTOOLS_LOG_LEVEL`, credentials redacted by the rule of `redact.ts`, the Lambda keys of `lambda-log-keys.ts`.
 */
export function createLogger(options: { readonly logLevel?: string; readonly persistentKeys?: Record<string, string> } = {}): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    logFormatter: new GatewayLogFormatter(),
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
    // A batch with nothing to count writes nothing: Powertools would warn ("No application metrics to publish"), a line an invocation.
    if (!this.hasStoredMetrics()) {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
      return this;
    }
    const { level } = this.#options;
    // Metadata is written beside the metrics and cleared with them.
    if (level !== undefined) this.addMetadata('level', level).addMetadata('timestamp', new Date().toISOString());
    return super.publishStoredMetrics();
  }

  /** `ColdStart` with `InitDuration` and `MemoryUsed` (`cold-start.ts`), on the first invocation only. */
  override captureColdStartMetric(functionName?: string): void {
    if (!this.getColdStart()) return;
    const { initDurationMs, memoryUsedMb } = coldStartFigures();
    const single = new LevelledMetrics({ ...this.#options, singleMetric: false });
    const name = functionName?.trim();
    if (name) single.addDimension('function_name', name);
    single.addMetric('ColdStart', MetricUnit.Count, 1);
    single.addMetric(INIT_DURATION_METRIC, MetricUnit.Milliseconds, initDurationMs);
    single.addMetric(MEMORY_USED_METRIC, MetricUnit.Megabytes, memoryUsedMb);
    single.publishStoredMetrics();
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
