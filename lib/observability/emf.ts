import type { MiddlewareObj } from '@middy/core';
import { coldStartFigures, INIT_DURATION_METRIC, MEMORY_USED_METRIC } from './cold-start.js';
import { roundDuration } from './event-log-keys.js';
import { metricLineLevel } from './metric-line-level.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names.js';

/** The CloudWatch units the gateway publishes in. */
export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds', Megabytes: 'Megabytes' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The metric a cold start publishes, as Powertools Metrics names it (with a `function_name` dimension). */
const COLD_START_METRIC = 'ColdStart';

export interface EmfMetricsOptions {
  readonly namespace: string;
  /** The `service` dimension of every metric. */
  readonly serviceName: string;
  /** Dimensions of every metric besides `service`. */
  readonly defaultDimensions?: Readonly<Record<string, string>>;
  /** Where each EMF document goes, one line each. @default a write to stdout */
  readonly write?: (line: string) => void;
  /**
   * The `level` every document carries, with a `timestamp`, so that Lambda's log-level filter keeps it
   * ({@link metricLineLevel}). @default none, Lambda counts the line as INFO
   */
  readonly level?: string;
}

interface Stored {
  readonly unit: MetricUnit;
  readonly values: number[];
}

/**
 * CloudWatch Embedded Metric Format, one JSON line per invocation, for the receivers: the subset of Powertools
 * Metrics they use (`addMetric`, `singleMetric`, the cold-start metric), with the same output, for a fraction of
 * Powertools' time per delivery (BENCHMARKS.md). The worker keeps Powertools.
 */
export class EmfMetrics {
  readonly #namespace: string;
  readonly #dimensions: Readonly<Record<string, string>>;
  readonly #write: (line: string) => void;
  readonly #level: string | undefined;
  #stored = new Map<string, Stored>();
  #coldStart = true;

  constructor(options: EmfMetricsOptions) {
    this.#namespace = options.namespace;
    this.#dimensions = { service: options.serviceName, ...options.defaultDimensions };
    this.#write = options.write ?? ((line) => process.stdout.write(line));
    this.#level = options.level;
  }

  /** Adds a value to the invocation's document; a name added twice gets both values. A duration is kept to 0.1 ms. */
  addMetric(name: string, unit: MetricUnit, value: number): void {
    if (unit === MetricUnit.Milliseconds) value = roundDuration(value);
    const stored = this.#stored.get(name);
    if (stored) stored.values.push(value);
    else this.#stored.set(name, { unit, values: [value] });
  }

  /** A metric published at once, with dimensions of its own on top of the default ones. */
  singleMetric(): { addDimension(name: string, value: string): ReturnType<EmfMetrics['singleMetric']>; addMetric(name: string, unit: MetricUnit, value: number): void } {
    const dimensions: Record<string, string> = { ...this.#dimensions };
    const single = {
      addDimension: (name: string, value: string) => {
        dimensions[name] = value;
        return single;
      },
      addMetric: (name: string, unit: MetricUnit, value: number) => {
        this.#publish(dimensions, new Map([[name, { unit, values: [value] }]]));
      },
    };
    return single;
  }

  /**
   * Publishes `ColdStart`, `InitDuration` and `MemoryUsed` (`cold-start.ts`) in one document, dimension `function_name`
   * besides the default ones, on the first invocation only.
   */
  captureColdStartMetric(functionName: string): void {
    if (!this.#coldStart) return;
    this.#coldStart = false;
    const { initDurationMs, memoryUsedMb } = coldStartFigures();
    this.#publish(
      { ...this.#dimensions, function_name: functionName },
      new Map<string, Stored>([
        [COLD_START_METRIC, { unit: MetricUnit.Count, values: [1] }],
        [INIT_DURATION_METRIC, { unit: MetricUnit.Milliseconds, values: [initDurationMs] }],
        [MEMORY_USED_METRIC, { unit: MetricUnit.Megabytes, values: [memoryUsedMb] }],
      ]),
    );
  }

  /** Writes the invocation's metrics as one EMF document and starts a new one; writes nothing when there are none. */
  publishStoredMetrics(): void {
    if (this.#stored.size === 0) return;
    const stored = this.#stored;
    this.#stored = new Map();
    this.#publish(this.#dimensions, stored);
  }

  #publish(dimensions: Readonly<Record<string, string>>, metrics: ReadonlyMap<string, Stored>): void {
    const timestamp = Date.now();
    const document: Record<string, unknown> = {
      ...(this.#level === undefined ? {} : { level: this.#level, timestamp: new Date(timestamp).toISOString() }),
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: this.#namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: [...metrics].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      ...dimensions,
    };
    for (const [name, { values }] of metrics) document[name] = values.length === 1 ? values[0] : values;
    this.#write(`${JSON.stringify(document)}\n`);
  }
}

/** The receivers' metrics, named from `POWERTOOLS_METRICS_NAMESPACE` and `POWERTOOLS_SERVICE_NAME` as Powertools would. */
export function createEmfMetrics(defaultDimensions: Readonly<Record<string, string>> = {}): EmfMetrics {
  return new EmfMetrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    defaultDimensions,
    level: metricLineLevel(),
  });
}

/**
 * Middy middleware: the cold-start metric on the first invocation, and the invocation's document once the
 * answer (or the error) is known, as Powertools' `logMetrics` does.
 */
export function publishMetrics<TEvent, TResult>(metrics: EmfMetrics): MiddlewareObj<TEvent, TResult> {
  const publish = () => metrics.publishStoredMetrics();
  return {
    before: (request) => metrics.captureColdStartMetric(request.context.functionName),
    after: publish,
    onError: publish,
  };
}
