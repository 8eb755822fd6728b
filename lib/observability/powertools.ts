import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names.js';
import { redactSensitive } from './redact.js';

/**
 * The gateway's logger: structured JSON (pretty-printed when `POWERTOOLS_DEV` is set), level from
 * `POWERTOOLS_LOG_LEVEL`, sensitive keys redacted.
 */
export function createLogger(options: { readonly logLevel?: string; readonly persistentKeys?: Record<string, string> } = {}): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    jsonReplacerFn: redactSensitive,
    ...(options.logLevel ? { logLevel: options.logLevel as 'INFO' } : {}),
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
  });
}

/** The gateway's metrics (EMF), with the given dimensions on every metric besides `service`. */
export function createMetrics(defaultDimensions: Record<string, string> = {}): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    defaultDimensions,
  });
}
