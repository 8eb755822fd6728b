/**
 * The `level` an EMF metric line must carry to pass Lambda's application log-level filter.
 *
 * With JSON logs, Lambda filters the function's own lines by level (`AWS_LAMBDA_LOG_LEVEL`, from the stack's
 * `logLevel`) and counts a line without a valid `level` and RFC 3339 `timestamp` as INFO. A metric line is no log
 * line of any level, and it must always pass: at WARN, ERROR or FATAL it would otherwise be dropped, and with it
 * the metric, its alarms and the dashboards.
 *
 * @param env - the function's environment
 * @returns Lambda's level when it drops INFO lines; undefined when INFO passes or nothing filters (locally, tests)
 * @example metricLineLevel({ AWS_LAMBDA_LOG_LEVEL: 'ERROR' }) // 'ERROR'
 */
export function metricLineLevel(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const level = env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase();
  return level === 'WARN' || level === 'ERROR' || level === 'FATAL' ? level : undefined;
}
