/**
 * Which Lambda keys a log line carries, one rule for the worker's Powertools Logger and the receivers' own line
 * writer: the invocation's request id on every line; the function's identity (`cold_start`, ARN, memory, name) and
 * the X-Ray trace id only on a cold start's lines; the trace id also on WARN and above, where a trace is looked up.
 * The log group already names the function, and these keys were about a third of every line's bytes (docs/costs.md).
 */

/** What the rule reads of an invocation. */
export interface LambdaLineContext {
  readonly coldStart: boolean;
  readonly functionArn: string;
  readonly memoryLimitInMB: string | number;
  readonly functionName: string;
  readonly awsRequestId: string;
}

/** Levels at and above which a line carries the X-Ray trace id. */
const TRACED_LEVELS = new Set(['WARN', 'ERROR', 'CRITICAL']);

/**
 * The Lambda keys of one line, in the order they are written.
 *
 * @param level - the line's level (`INFO`, `WARN`...)
 * @param context - the invocation's; none outside one
 * @param traceId - the X-Ray trace id (`_X_AMZN_TRACE_ID`'s root)
 * @example lambdaLogKeys('INFO', { coldStart: false, ...context }, traceId) // { function_request_id: '…' }
 */
export function lambdaLogKeys(level: string, context: LambdaLineContext | undefined, traceId: string | undefined): Record<string, unknown> {
  if (!context) return TRACED_LEVELS.has(level) && traceId ? { xray_trace_id: traceId } : {};
  return context.coldStart
    ? {
        cold_start: true,
        function_arn: context.functionArn,
        function_memory_size: context.memoryLimitInMB,
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
        xray_trace_id: traceId,
      }
    : { function_request_id: context.awsRequestId, ...(TRACED_LEVELS.has(level) && traceId ? { xray_trace_id: traceId } : {}) };
}
