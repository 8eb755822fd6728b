/**
 * The log lines AWS writes for the gateway without running its code here, so that the cost command can measure
 * their bytes: Lambda's own per-invocation lines at system log level INFO, and the values an HTTP API access log
 * line gets for its `$context` variables.
 */

/**
 * `platform.start` and `platform.report` of one warm invocation of a function with JSON logs and active tracing,
 * in the shape of the examples in "Lambda system log events" (docs.aws.amazon.com/lambda/latest/dg/
 * telemetry-schema-reference.html, read 2026-12-07). At system log level WARN Lambda sends neither.
 */
const PLATFORM_LINES_AT_INFO = [
  '{"time":"2026-12-07T03:04:28.123Z","type":"platform.start","record":{"requestId":"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa","version":"$LATEST","tracing":{"spanId":"54565fb41ac79632","type":"X-Amzn-Trace-Id","value":"Root=1-6574f3a1-5a3e2b7c1d9f4e6a8b0c2d4e;Parent=54565fb41ac79632;Sampled=1"}}}',
  '{"time":"2026-12-07T03:04:28.141Z","type":"platform.report","record":{"requestId":"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa","metrics":{"durationMs":17.52,"billedDurationMs":18,"memorySizeMB":1024,"maxMemoryUsedMB":98},"tracing":{"spanId":"54565fb41ac79632","type":"X-Amzn-Trace-Id","value":"Root=1-6574f3a1-5a3e2b7c1d9f4e6a8b0c2d4e;Parent=54565fb41ac79632;Sampled=1"},"status":"success"}}',
] as const;

/** Lambda's system log levels, and the bytes it writes per invocation at each (WARN: only failures and timeouts). */
export function platformLogBytes(systemLogLevel: string | undefined): number {
  if (systemLogLevel === 'WARN') return 0;
  return PLATFORM_LINES_AT_INFO.reduce((sum, line) => sum + Buffer.byteLength(`${line}\n`), 0);
}

/**
 * What API Gateway writes for each `$context` variable of an answered delivery: a 200 from a receiver. The values
 * have the length of real ones (a request id of API Gateway's form, an IPv4 address, a provider's user agent).
 */
const ACCESS_LOG_CONTEXT: Readonly<Record<string, string>> = {
  '$context.requestId': 'P8Wk1hYuIAMEbXw=',
  '$context.requestTime': '07/Dec/2026:03:04:28 +0000',
  '$context.identity.sourceIp': '203.0.113.45',
  '$context.identity.userAgent': 'Go-http-client/2.0',
  '$context.httpMethod': 'POST',
  '$context.routeKey': 'POST /webhooks/qiscus-omnichannel',
  '$context.path': '/webhooks/qiscus-omnichannel',
  '$context.protocol': 'HTTP/1.1',
  '$context.status': '200',
  '$context.responseLength': '21',
  '$context.responseLatency': '38',
  '$context.integrationStatus': '200',
  '$context.integrationLatency': '36',
  '$context.integration.latency': '36',
  '$context.integration.status': '200',
  '$context.integrationErrorMessage': '-',
  // A quoted form: API Gateway writes the quotes itself.
  '$context.error.messageString': '"-"',
  '$context.error.message': '-',
};

/**
 * One access log line of `format` (the stage's `AccessLogSettings.Format`), its variables replaced by
 * {@link ACCESS_LOG_CONTEXT}; a variable it does not know stays as written, and is counted at that length.
 */
export function accessLogLine(format: string): string {
  return format.replace(/\$context\.[\w.]+/g, (name) => ACCESS_LOG_CONTEXT[name] ?? name);
}
