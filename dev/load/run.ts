import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { accountDeliveries, type Accounting } from './accounting.js';
import { statisticsOf } from './statistics.js';
import { sendBurst } from './burst.js';
import { planConversations } from './scenario.js';

export interface LoadTestOptions {
  /** The gateway's base URL. */
  readonly url: string;
  readonly events: number;
  readonly concurrency: number;
  readonly providers: readonly ProviderDefinition[];
  readonly secretFor: (provider: ProviderDefinition) => string;
  /** The ids of the events the worker processed so far, in processing order. */
  readonly processedIds: () => Promise<readonly string[]> | readonly string[];
  /** Give up waiting for the worker after this long without progress. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** After the last event was processed, wait this long for late duplicates. Default 5 s (above the local visibility timeout). */
  readonly graceMs?: number;
  /** How often to ask for the processed events. Default 250 ms. */
  readonly pollIntervalMs?: number;
  readonly runId?: string;
  readonly onProgress?: (phase: 'sending' | 'processing', done: number, total: number) => void;
  /** Ctrl+C: stop sending and stop waiting; the report covers what was sent so far. */
  readonly signal?: AbortSignal | undefined;
}

export interface LoadReport extends Accounting {
  /** Deliveries sent: `planned`, unless interrupted. */
  readonly sent: number;
  readonly planned: number;
  /** Stopped by the signal: the worker was not waited for, so what is not processed yet is not lost. */
  readonly interrupted: boolean;
  /** Why the runtime could no longer be asked what it processed (it stopped answering), if so. */
  readonly unreachable?: string | undefined;
  readonly conversations: number;
  readonly concurrency: number;
  readonly rejectedByStatus: ReadonlyMap<number, number>;
  readonly unanswered: number;
  /** Seconds from the first send to the last answer. */
  readonly sendSeconds: number;
  /** Seconds from the first send until the worker had processed every acknowledged event (or gave up). */
  readonly endToEndSeconds: number;
  /** Acknowledged deliveries per second while sending. */
  readonly ackThroughput: number;
  /** Processed events per second, end to end. */
  readonly processedThroughput: number;
  readonly ackLatencyMs: { readonly p50: number; readonly p75: number; readonly p99: number; readonly max: number };
  /** Acknowledgements that took longer than Qikchat's 2-second limit, as this client measured them. */
  readonly acksOver2s: number;
}

/**
 * The load test: plans mixed-provider conversations, sends them, waits until the worker has processed
 * every acknowledged delivery (bounded: it stops waiting when nothing moved for `idleTimeoutMs`), waits
 * a little more for late duplicates, and accounts.
 */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadReport> {
  const conversations = planConversations({
    events: options.events,
    runId: options.runId ?? Date.now().toString(36),
    providers: options.providers,
    secretFor: options.secretFor,
  });
  const started = performance.now();
  const burst = await sendBurst({
    url: options.url,
    conversations,
    concurrency: options.concurrency,
    signal: options.signal,
    onProgress: (answered) => options.onProgress?.('sending', answered, options.events),
  });

  const wanted = new Set([...burst.acknowledged.values()].flat());
  const signal = options.signal;
  let unreachable: string | undefined;
  // The processed ids of this run, in processing order (a duplicate twice); undefined once the runtime does not answer.
  const processedOf = async (): Promise<string[] | undefined> => {
    try {
      return (await options.processedIds()).filter((id) => wanted.has(id) || burst.rejected.has(id));
    } catch (error) {
      unreachable = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
      return undefined;
    }
  };
  let latest: readonly string[] = (await processedOf()) ?? [];
  let lastProgress = performance.now();
  let finished = performance.now();
  while (unreachable === undefined && !signal?.aborted && performance.now() - lastProgress < (options.idleTimeoutMs ?? 30_000)) {
    const done = new Set(latest);
    const count = [...wanted].filter((id) => done.has(id)).length;
    options.onProgress?.('processing', count, wanted.size);
    finished = performance.now();
    if (count === wanted.size) break;
    await sleep(options.pollIntervalMs ?? 250, undefined, { signal }).catch(() => undefined);
    const now = await processedOf();
    if (now === undefined || signal?.aborted) break;
    if (new Set(now).size > done.size) lastProgress = performance.now();
    latest = now;
  }
  const endToEndSeconds = (finished - started) / 1000;
  // Late duplicates, unless stopped: then the report is of what happened so far.
  if (unreachable === undefined && !signal?.aborted) {
    await sleep(options.graceMs ?? 5_000, undefined, { signal }).catch(() => undefined);
    latest = (await processedOf()) ?? latest;
  }

  const accounting = accountDeliveries(burst.acknowledged, latest, burst.rejected);
  const sendSeconds = burst.elapsedMs / 1000;
  return {
    ...accounting,
    sent: burst.sent,
    planned: options.events,
    interrupted: signal?.aborted === true,
    unreachable,
    conversations: conversations.length,
    concurrency: options.concurrency,
    rejectedByStatus: burst.rejectedByStatus,
    unanswered: burst.unanswered,
    sendSeconds,
    endToEndSeconds,
    ackThroughput: accounting.acknowledged / sendSeconds,
    processedThroughput: accounting.processed / endToEndSeconds,
    ackLatencyMs: latencySummary(burst.ackLatenciesMs),
    acksOver2s: burst.ackLatenciesMs.filter((ms) => ms > 2_000).length,
  };
}

function latencySummary(latencies: readonly number[]): LoadReport['ackLatencyMs'] {
  const statistics = statisticsOf(latencies);
  return { p50: statistics?.p50 ?? Number.NaN, p75: statistics?.p75 ?? Number.NaN, p99: statistics?.p99 ?? Number.NaN, max: statistics?.max ?? Number.NaN };
}

/** Whether a run kept every promise: nothing lost, duplicated, reordered, or processed after a refusal. */
export function loadTestPassed(report: LoadReport): boolean {
  if (report.interrupted || report.unreachable !== undefined) return false;
  return report.lost === 0 && report.duplicated === 0 && report.outOfOrder === 0 && report.rejectedButProcessed === 0 && report.acknowledged > 0;
}

/** The report as the terminal shows it. */
export function formatLoadReport(report: LoadReport): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rejected = [...report.rejectedByStatus].map(([status, count]) => `${count}×${status}`).join(', ');
  return [
    `sent              ${report.sent}${report.sent < report.planned ? ` of ${report.planned}` : ''} deliveries in ${report.conversations} conversations, ${report.concurrency} at a time`,
    `acknowledged      ${report.acknowledged}${rejected ? `   (not acknowledged: ${rejected})` : ''}${report.unanswered ? `   (no answer: ${report.unanswered})` : ''}`,
    `processed         ${report.processed}`,
    // Stopped before the worker was waited for: what is not processed yet is not known to be lost.
    report.interrupted || report.unreachable !== undefined ? `not processed yet ${report.lost}   (not waited for)` : `lost              ${report.lost}`,
    `duplicated        ${report.duplicated}`,
    `out of order      ${report.outOfOrder}`,
    ...(report.rejectedButProcessed ? [`refused, yet processed ${report.rejectedButProcessed}`] : []),
    `throughput        ${report.ackThroughput.toFixed(0)} acknowledged/s (${report.sendSeconds.toFixed(1)} s); ${report.processedThroughput.toFixed(0)} processed/s end to end (${report.endToEndSeconds.toFixed(1)} s)`,
    `ack latency       p50 ${ms(report.ackLatencyMs.p50)}   p75 ${ms(report.ackLatencyMs.p75)}   p99 ${ms(report.ackLatencyMs.p99)}   max ${ms(report.ackLatencyMs.max)}   (over 2 s: ${report.acksOver2s})`,
  ].join('\n');
}
