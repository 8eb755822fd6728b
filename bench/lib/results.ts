/** The shape of `bench/results.json`, and the goals the figures are held to (issues 6 and 12). */
import type { SdkShipping } from './bundles.js';
import type { Summary } from './summary.js';

/**
 * Held by the default build (receivers without Powertools Tracer), with the per-delivery log line and metrics.
 * The `detailedTracing` build is reported beside them, without a goal.
 */
export const GOALS = {
  /** Receiver time per request over the baseline's: at most this; aim for {@link GOALS.receiverOverheadAim}. */
  receiverOverheadRatio: 1.3,
  receiverOverheadAim: 1.2,
  /** Worst receiver's import time over the baseline's: at most this; aim for {@link GOALS.coldInitAim}. */
  coldInitRatio: 1.2,
  coldInitAim: 1.15,
  /** Every provider's verify() over a bare HMAC of the same body. */
  verifyRatio: 1.5,
} as const;

interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  /** The Node.js the functions were measured on (`node_modules/.bin/node`). */
  readonly node: string;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
}

export interface OverheadRow {
  /** Median wall-clock time per request. */
  readonly receiverUs: number;
  readonly baselineUs: number;
  readonly ratio: number;
  readonly receiverP99Us: number;
  readonly baselineP99Us: number;
  /** Median CPU time of the process per request (the SQS server's work included): a busy machine moves it less. */
  readonly receiverCpuUs: number;
  readonly baselineCpuUs: number;
  readonly cpuRatio: number;
  /** The baseline timed in the same process before the receiver bundle was loaded. */
  readonly baselineAloneUs: number;
  readonly ratioToBaselineAlone: number;
  /**
   * Segment documents (datagrams) the stand-in X-Ray daemon received per receiver request: the functions run
   * with active tracing, as the stack deploys them (about 2: the handler and the `SendMessage` subsegments).
   */
  readonly receiverSegmentsPerRequest: number;
}

export interface ColdStartRow {
  /** Median import time of the bundle in a fresh process. */
  readonly importMs: number;
  readonly importP75Ms: number;
  /** Median CPU time of the import (user + system): less sensitive to a busy machine. */
  readonly importCpuMs: number;
  /** Median time of the first request after the import (the rest of a cold start). */
  readonly firstRequestMs: number;
  /** Median of import + first request, per process. */
  readonly coldStartMs: number;
  /** Median segment documents the stand-in X-Ray daemon received from a process (tracing active; 0 for the baseline). */
  readonly segments: number;
}

export interface ShippingColdStarts {
  readonly baseline: ColdStartRow;
  readonly receivers: Readonly<Record<string, ColdStartRow & { readonly importRatio: number; readonly importCpuRatio: number; readonly coldStartRatio: number }>>;
  /** The worst receiver's import ratio: `coldInitRatio` when this shipping is chosen. */
  readonly worstImportRatio: number;
  readonly worstReceiver: string;
  /** The worst receiver's median import + first request. */
  readonly worstColdStartMs: number;
}

/** One provider and body size of the verify lab: tinybench's median time per call of each task. */
export interface VerifyRow {
  readonly label: string;
  readonly bodyBytes: number;
  readonly algorithm: string;
  /** The provider's verify(), one secret configured. */
  readonly verifyUs: number;
  /** The bare HMAC of the same body. */
  readonly hmacUs: number;
  readonly ratio: number;
  /** The same during a secret rotation (current and previous configured: both are always tried). */
  readonly rotationVerifyUs: number;
  readonly rotationRatio: number;
  /** tinybench's relative margin of error of each task's mean time per call, in percent (95 % confidence). */
  readonly rme: { readonly verify: number; readonly rotation: number; readonly hmac: number };
  /** Calls timed per task (after warm-up). */
  readonly calls: { readonly verify: number; readonly rotation: number; readonly hmac: number };
}

export interface SizeRow {
  readonly label: string;
  readonly bodyBytes: number;
  readonly eventBytes: number;
  readonly receiverMs: number;
  readonly baselineMs: number;
  readonly ratio: number;
}

export interface ConcurrencyRow {
  readonly concurrency: number;
  readonly requests: number;
  readonly receiver: { readonly throughputPerSec: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly baseline: { readonly throughputPerSec: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly throughputRatio: number;
}

export interface EndToEnd {
  readonly events: number;
  readonly concurrency: number;
  /** Events processed by the worker per second, from the first request sent to the last event processed. */
  readonly throughputPerSec: number;
  /** Deliveries answered 200 per second while sending. */
  readonly ackThroughputPerSec: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  /** From the last answer until the worker had processed every acknowledged event. */
  readonly drainMs: number;
  /** Acknowledged (200) but never processed. */
  readonly lost: number;
  /** Processings beyond the first of an event. */
  readonly duplicates: number;
  /** Deliveries answered anything but 200 (or not at all), by status. */
  readonly notAcknowledged: Readonly<Record<string, number>>;
  /**
   * Of those, how many the worker processed all the same (the queue took the event but the answer came too
   * late): allowed, the provider retries and the queue drops the copy; never counted as lost.
   */
  readonly notAcknowledgedButProcessed: number;
}

/** One run of the delivery section: events through the worker to an HTTPS destination on loopback. */
export interface DeliveryRun {
  readonly events: number;
  readonly conversations: number;
  /** Events the endpoint got (first copies). */
  readonly delivered: number;
  /** Copies beyond the first (a retry after a lost answer): 0 expected on loopback. */
  readonly duplicates: number;
  /** Events that arrived before an earlier event of their conversation: 0 is the promise. */
  readonly outOfOrder: number;
  /** First copies delivered per second, from the first event sent to the last one delivered. */
  readonly deliveredPerSec: number;
  /** From SendMessage answered (accepted) to the request at the endpoint. */
  readonly addedP50Ms: number;
  readonly addedP99Ms: number;
}

/** The delivery section: a backlog drained (throughput) and a paced flow below it (added latency), beside a code handler. */
export interface Delivery {
  /** The worker invocations at once (the poller's concurrency). */
  readonly workerConcurrency: number;
  /** Every event queued at once: how fast the worker delivers. */
  readonly backlog: DeliveryRun;
  /** The same backlog to an in-process code handler instead: what the destination adds. */
  readonly backlogToHandler: DeliveryRun;
  /** One event per conversation every `roundGapMs`: the latency a steady flow sees. */
  readonly paced: DeliveryRun & { readonly roundGapMs: number };
}

export interface BenchResults {
  /** 2: p90 figures gave way to tinybench's p75 / p99, verify rows carry tinybench's `rme`. */
  readonly schemaVersion: 2;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly revision: { readonly commit: string; readonly dirty: boolean };
  readonly goals: typeof GOALS;
  readonly receiverOverheadRatio: number;
  /**
   * The same against the baseline timed before the receiver bundle was loaded into the process: shows what a
   * receiver does to everything else in its process (the X-Ray SDK's async hooks).
   */
  readonly receiverOverheadRatioToCleanBaseline: number;
  readonly receiverOverhead: { readonly iterations: number; readonly perProvider: Readonly<Record<string, OverheadRow>> };
  /** The same figures for the receivers built with `-c detailedTracing=true` (Powertools Tracer, SDK bundled): no goal. */
  readonly receiverOverheadRatioDetailedTracing: number;
  readonly receiverOverheadDetailedTracing: { readonly iterations: number; readonly perProvider: Readonly<Record<string, OverheadRow>> };
  readonly coldInitRatio: number;
  /** The worst `detailedTracing` receiver's import over the (SDK bundled) baseline's: no goal. */
  readonly coldInitRatioDetailedTracing: number;
  readonly coldInit: {
    readonly processesPerBundle: number;
    readonly chosenSdk: SdkShipping;
    readonly choice: string;
    readonly bySdk: Readonly<Record<SdkShipping, ShippingColdStarts>>;
    readonly noNetworkAtImport: { readonly passed: boolean; readonly checks: readonly { readonly bundle: string; readonly attempts: readonly string[] }[] };
    /** The `detailedTracing` receivers (SDK bundled) in the same interleaved rounds, against the bundled baseline. */
    readonly detailedTracing: ShippingColdStarts;
  };
  readonly receiverBundleBytes: Readonly<Record<string, number>>;
  readonly bundleBytes: Readonly<Record<SdkShipping, Readonly<Record<string, number>>>>;
  /** Each receiver's bundle in the `detailedTracing` build (SDK bundled). */
  readonly detailedTracingBundleBytes: Readonly<Record<string, number>>;
  /** What the largest receiver bundle and the baseline are made of (chosen shipping), largest origins first. */
  readonly bundleComposition: Readonly<Record<string, readonly { readonly from: string; readonly bytes: number }[]>>;
  readonly verifyRatio: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly verify: Readonly<Record<string, readonly VerifyRow[]>>;
  readonly e2e: EndToEnd;
  /** Issue 23's figure; absent from results made before it. */
  readonly delivery?: Delivery | undefined;
  readonly costGrowth: {
    readonly bodySize: Readonly<Record<string, readonly SizeRow[]>>;
    readonly concurrency: readonly ConcurrencyRow[];
    /** The provider whose receiver the concurrency sweep used. */
    readonly concurrencyProvider: string;
  };
}

/** A {@link Summary} in microseconds from one in milliseconds. */
export function microseconds(summary: Summary): { median: number; p99: number } {
  return { median: Math.round(summary.median * 1000 * 10) / 10, p99: Math.round(summary.p99 * 1000 * 10) / 10 };
}
