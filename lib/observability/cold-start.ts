/**
 * What a function publishes about its start, on its first invocation only: with Lambda's system log level at WARN
 * the `platform.report` lines (init duration, memory used) are not ingested, and Lambda's free CloudWatch metrics
 * have neither figure (Lambda Insights has both, at a price per function). Both go into the cold start's EMF
 * document beside `ColdStart`, dimensioned by function.
 */

/** Milliseconds from the process's start to now (its first invocation): the runtime's start and the module's import. */
export const INIT_DURATION_METRIC = 'InitDuration';
/** The process's resident memory at the end of the first invocation's start, in megabytes. */
export const MEMORY_USED_METRIC = 'MemoryUsed';

/** The figures of a cold start, measured now. */
export function coldStartFigures(): { readonly initDurationMs: number; readonly memoryUsedMb: number } {
  return { initDurationMs: Math.round(performance.now()), memoryUsedMb: Math.round(process.memoryUsage.rss() / 1_048_576) };
}
