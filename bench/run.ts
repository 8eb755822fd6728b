/**
 * `npm run bench`: the gateway against a bare baseline, measured on this machine.
 *
 *   npm run bench                full run: writes bench/results.json, bench/cost-growth.svg and the results
 *                                section of BENCHMARKS.md
 *   npm run bench -- --quick     the same figures from fewer samples (under 90 s on 2 cores); writes
 *                                .bench-build/results.quick.json only (bench/results.json is the last full run)
 *   npm run bench -- --only cold,overhead,sizes,concurrency,verify,e2e,delivery
 *                                some sections only, for a look while optimising; writes nothing but
 *                                .bench-build/results.partial.json
 *
 * Never part of `npm test`, and nothing here asserts a time: it measures and reports. All traffic stays on
 * loopback; every loop is bounded. See BENCHMARKS.md for what each figure means.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { providers } from '../lib/providers/registry.js';
import { BASELINE, buildBenchBundles, type BuiltBundle, compositionOf, type SdkShipping, sdkShippings } from './lib/bundles.js';
import { type BenchChild, startBenchChild } from './lib/child.js';
import { sendBurst } from '../dev/load/burst.js';
import { functionEnvironment, localSecretArn, startLambdaAws } from '../dev/fakes/lambda-aws.js';
import { nodeBinary, repositoryRoot, scratchDirectory } from './lib/paths.js';
import { replaceGeneratedSection, resultsMarkdown } from './lib/report.js';
import {
  type BenchResults,
  type ColdStartRow,
  type ConcurrencyRow,
  type Delivery,
  type DeliveryRun,
  type EndToEnd,
  GOALS,
  microseconds,
  type OverheadRow,
  type ShippingColdStarts,
  type SizeRow,
  type VerifyRow,
} from './lib/results.js';
import { ratio, round, worst } from './lib/ratios.js';
import { median } from '../dev/load/statistics.js';
import { summarise } from './lib/summary.js';
import { renderChart } from './lib/svg.js';
import { providerDeliveries, type BenchDelivery, type WorkloadSecrets } from './lib/workload.js';
import { bundleKey, checkNoNetworkAtImport, measureColdStarts, type ProbeResult } from './sections/cold-init.js';
import type { OverheadTimings, SizeTimings } from './sections/receiver-lab.js';

const SECTIONS = ['cold', 'overhead', 'sizes', 'concurrency', 'verify', 'e2e', 'delivery'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = 'Usage: npm run bench [-- --quick] [--only cold,overhead,sizes,concurrency,verify,e2e,delivery] [--seed N]\n';
const options = {
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
try {
  parsed = parseArgs({ options });
} catch (error) {
  // A mistyped option gets its message and the usage, not a stack trace.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const only = values.only ? (values.only.split(',').map((s) => s.trim()) as Section[]) : undefined;
for (const section of only ?? []) {
  if (!SECTIONS.includes(section)) {
    process.stderr.write(`--only: unknown section "${section}" (${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
}
const runs = (section: Section) => !only || only.includes(section);
const mode = values.quick ? 'quick' : 'full';
const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000;

/** How many samples each section takes: enough for stable medians in a full run, under 90 s in all for --quick. */
const SETTINGS = {
  quick: {
    coldProcesses: 9,
    overhead: { warmup: 100, iterations: 250 },
    sizes: { warmup: 2, iterations: 8 },
    verify: { timeMs: 100, warmupMs: 25 },
    e2e: { events: 2_000, concurrency: 32 },
    concurrency: { requests: 300 },
    delivery: { conversations: 50, backlogPerConversation: 6, pacedPerConversation: 4, roundGapMs: 4_000, workerConcurrency: 10 },
  },
  full: {
    coldProcesses: 41,
    overhead: { warmup: 500, iterations: 3_000 },
    sizes: { warmup: 10, iterations: 60 },
    verify: { timeMs: 500, warmupMs: 100 },
    e2e: { events: 20_000, concurrency: 100 },
    concurrency: { requests: 3_000 },
    delivery: { conversations: 50, backlogPerConversation: 20, pacedPerConversation: 10, roundGapMs: 4_000, workerConcurrency: 10 },
  },
}[mode];

const BODY_SIZES = [
  { label: '1 KB', bytes: 1_024 },
  { label: '10 KB', bytes: 10_240 },
  { label: '100 KB', bytes: 102_400 },
  { label: '1 MiB', bytes: 'max' as const },
];
const VERIFY_SIZES = [
  { label: '2 KB', bytes: 2_048 },
  { label: '10 KB', bytes: 10_240 },
];
const CONCURRENCY_LEVELS = [1, 8, 32, 128];

const startedAt = new Date();
const started = performance.now();
const loadAverageAtStart = loadavg();
const say = (line: string) => process.stdout.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

// Secrets of this run only, known to the bundles (through the local Secrets Manager) and to the senders.
const run = randomBytes(4).toString('hex');
const receiverSecrets: Record<string, string> = Object.fromEntries(
  providers.map((provider) => [provider.slug, provider.slug === 'qikchat' ? `bench:${randomBytes(12).toString('hex')}` : randomBytes(24).toString('hex')]),
);
const secrets: WorkloadSecrets = { receiver: (provider) => receiverSecrets[provider.slug] ?? '', baseline: randomBytes(24).toString('hex') };

const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
say(`${mode} run, seed ${seed}, functions on Node.js ${nodeVersion} (${nodeBinary.replace(repositoryRoot, '')}), ${cpus().length} cores`);

// ---------------------------------------------------------------------------------------------- bundles
say('cdk synth: the receivers as the stack stages them, SDK bundled, SDK left to the runtime, and with detailedTracing; the baseline with esbuild');
const bundles = await buildBenchBundles();
/** A bundle of the default build, or (`detailedTracing`) a receiver built with Powertools Tracer, SDK bundled. */
const bundleOf = (sdk: SdkShipping, name: string, detailedTracing = false): BuiltBundle => {
  const found = bundles.find((bundle) => bundle.sdk === sdk && bundle.name === name && bundle.detailedTracing === detailedTracing);
  if (!found) throw new Error(`bench: no bundle ${bundleKey({ sdk, name, detailedTracing })}`);
  return found;
};
const defaultBundles = bundles.filter((bundle) => !bundle.detailedTracing);
const bundleBytes = Object.fromEntries(
  sdkShippings.map((sdk) => [sdk, Object.fromEntries(defaultBundles.filter((bundle) => bundle.sdk === sdk).map((bundle) => [bundle.name, bundle.bytes]))]),
) as Record<SdkShipping, Record<string, number>>;
const detailedTracingBundleBytes = Object.fromEntries(providers.map((provider) => [provider.slug, bundleOf('bundled', provider.slug, true).bytes]));

// ------------------------------------------------------------------------------------------- cold start
function coldRow(samples: readonly ProbeResult[]): ColdStartRow {
  const imports = summarise(samples.map((s) => s.importMs), 2);
  return {
    importMs: imports.median,
    importP75Ms: imports.p75,
    importCpuMs: round(median(samples.map((s) => s.importCpuMs)), 2),
    firstRequestMs: round(median(samples.map((s) => s.firstRequestMs ?? Number.NaN)), 2),
    coldStartMs: round(median(samples.map((s) => s.importMs + (s.firstRequestMs ?? Number.NaN))), 2),
    segments: median(samples.map((s) => s.segments ?? Number.NaN)),
  };
}

let coldInit: BenchResults['coldInit'] | undefined;
let chosenSdk: SdkShipping = 'bundled';
if (runs('cold')) {
  say(`cold starts: ${bundles.length} bundles × ${SETTINGS.coldProcesses} fresh processes each, import + first request`);
  const aws = await startLambdaAws(new Map(providers.map((provider) => [localSecretArn(provider.slug), secrets.receiver(provider)])));
  try {
    const deliveries = new Map<string, BenchDelivery[]>();
    for (const provider of providers) {
      deliveries.set(provider.slug, await providerDeliveries(provider, { count: SETTINGS.coldProcesses, run: `${run}-cold`, secrets }));
    }
    let shown = 0;
    const samples = await measureColdStarts({
      bundles,
      processes: SETTINGS.coldProcesses,
      aws,
      deliveries,
      seed,
      baselineSecret: secrets.baseline,
      onProgress: (done, total) => {
        if (done / total >= (shown + 1) / 4) {
          shown++;
          say(`  cold starts ${done}/${total}`);
        }
      },
    });
    say('no network at import: importing every bundle with every connection refused');
    const checks = await checkNoNetworkAtImport(bundles);
    const complaints = [...samples.values()].flat().flatMap((sample) => (sample.stderr ? [sample.stderr] : []));
    if (complaints.length) say(`  ${complaints.length} cold-start processes wrote to stderr; the first: ${complaints[0]?.slice(0, 500) ?? ''}`);

    /** The receivers of one build and shipping against the baseline of that shipping. */
    const shippingColdStarts = (sdk: SdkShipping, detailedTracing: boolean): ShippingColdStarts => {
      const baseline = coldRow(samples.get(bundleKey({ sdk, name: BASELINE })) ?? []);
      const receivers: ShippingColdStarts['receivers'] = Object.fromEntries(
        providers.map((provider) => {
          const row = coldRow(samples.get(bundleKey({ sdk, name: provider.slug, detailedTracing })) ?? []);
          return [
            provider.slug,
            { ...row, importRatio: ratio(row.importMs, baseline.importMs), importCpuRatio: ratio(row.importCpuMs, baseline.importCpuMs), coldStartRatio: ratio(row.coldStartMs, baseline.coldStartMs) },
          ];
        }),
      );
      const worstImport = worst(Object.fromEntries(Object.entries(receivers).map(([slug, row]) => [slug, row.importRatio])));
      return {
        baseline,
        receivers,
        worstImportRatio: worstImport?.value ?? Number.NaN,
        worstReceiver: worstImport?.name ?? '',
        worstColdStartMs: Math.max(...Object.values(receivers).map((row) => row.coldStartMs)),
      };
    };
    const bySdk = {} as Record<SdkShipping, ShippingColdStarts>;
    for (const sdk of sdkShippings) bySdk[sdk] = shippingColdStarts(sdk, false);
    // The goals hold what the stack ships (`bundleAwsSdk: true`, infra/config.ts); the other shipping is reported beside it.
    chosenSdk = 'bundled';
    const other: SdkShipping = 'runtime';
    const choice =
      `**bundled**, as the stack ships it: the worst receiver's cold start (import + first request, median) is ` +
      `${bySdk[chosenSdk].worstColdStartMs.toFixed(1)} ms against ${bySdk[other].worstColdStartMs.toFixed(1)} ms with the runtime\u2019s SDK; ` +
      `its import alone ${Math.max(...Object.values(bySdk[chosenSdk].receivers).map((r) => r.importMs)).toFixed(1)} ms against ${Math.max(...Object.values(bySdk[other].receivers).map((r) => r.importMs)).toFixed(1)} ms.`;
    coldInit = {
      processesPerBundle: SETTINGS.coldProcesses,
      chosenSdk,
      choice,
      bySdk,
      noNetworkAtImport: { passed: checks.every((check) => check.attempts.length === 0), checks },
      detailedTracing: shippingColdStarts('bundled', true),
    };
    say(`  worst import ratio: bundled ${bySdk.bundled.worstImportRatio} (${bySdk.bundled.worstReceiver}), runtime ${bySdk.runtime.worstImportRatio} (${bySdk.runtime.worstReceiver}); chosen: ${chosenSdk}`);
    say(`  secret fetches served: ${aws.secretFetches()} (one per receiver process: the first request reads it, later ones use the cache)`);
    say(`  X-Ray segment documents received by the stand-in daemon: ${aws.segmentsReceived()} (tracing active; only the detailedTracing receivers send any)`);
    say(`  detailedTracing build (SDK bundled): worst import ratio ${coldInit.detailedTracing.worstImportRatio} (${coldInit.detailedTracing.worstReceiver})`);
  } finally {
    await aws.stop();
  }
}

// -------------------------------------------------------------- receiver lab: overhead, sizes, concurrency
/**
 * A lab process for one provider: its receiver bundle and the baseline bundle, in the chosen SDK shipping (SDK
 * bundled for the `detailedTracing` build, which is built that way only).
 */
function startLab(slug: string, tracing: boolean, detailedTracing = false) {
  const sdk = detailedTracing ? 'bundled' : chosenSdk;
  return startBenchChild(`receiver-lab-${slug}${detailedTracing ? '-detailed-tracing' : ''}`, 'bench/sections/receiver-lab.ts', {
    ...functionEnvironment({ queueUrl: '', nodeOptions: bundleOf(sdk, slug, detailedTracing).nodeOptions }),
    BENCH_LAB: JSON.stringify({
      provider: slug,
      tracing,
      receiverBundle: bundleOf(sdk, slug, detailedTracing).file,
      baselineBundle: bundleOf(sdk, BASELINE).file,
      secret: receiverSecrets[slug],
      baselineSecret: secrets.baseline,
      run,
    }),
  });
}

/** One provider's interleaved pairs, as a table row. */
function overheadRow(pair: OverheadTimings): OverheadRow {
  const receiver = microseconds(pair.receiverMs);
  const baseline = microseconds(pair.baselineMs);
  return {
    receiverUs: receiver.median,
    baselineUs: baseline.median,
    ratio: ratio(pair.receiverMs.median, pair.baselineMs.median),
    receiverP99Us: receiver.p99,
    baselineP99Us: baseline.p99,
    receiverCpuUs: microseconds(pair.receiverCpuMs).median,
    baselineCpuUs: microseconds(pair.baselineCpuMs).median,
    cpuRatio: ratio(pair.receiverCpuMs.median, pair.baselineCpuMs.median),
    baselineAloneUs: microseconds(pair.baselineAloneMs).median,
    ratioToBaselineAlone: ratio(pair.receiverMs.median, pair.baselineAloneMs.median),
    receiverSegmentsPerRequest: round(pair.receiverSegments / pair.receiverCalls, 2),
  };
}

let receiverOverhead: BenchResults['receiverOverhead'] | undefined;
let receiverOverheadDetailedTracing: BenchResults['receiverOverhead'] | undefined;
let bodySize: Record<string, SizeRow[]> | undefined;
if (runs('overhead') || runs('sizes')) {
  const perProvider: Record<string, OverheadRow> = {};
  bodySize = {};
  for (const provider of providers) {
    const lab = await startLab(provider.slug, true);
    try {
      if (runs('overhead')) {
        say(`receiver overhead, ${provider.slug}: ${SETTINGS.overhead.iterations} interleaved pairs with the baseline (SDK ${chosenSdk})`);
        const pair = await lab.request<OverheadTimings>('overhead', { ...SETTINGS.overhead, seed });
        perProvider[provider.slug] = overheadRow(pair);
        say(
          `  ratio ${String(perProvider[provider.slug]?.ratio)} (CPU ${String(perProvider[provider.slug]?.cpuRatio)}); X-Ray segments: ${pair.receiverSegments} ` +
            `for ${pair.receiverCalls} receiver requests, ${pair.baselineAloneSegments} while the baseline ran alone`,
        );
      }
      if (runs('sizes')) {
        say(`cost by body size, ${provider.slug}: ${BODY_SIZES.map((size) => size.label).join(', ')}, ${SETTINGS.sizes.iterations} pairs each`);
        const rows = await lab.request<SizeTimings[]>('sizes', { sizes: BODY_SIZES, ...SETTINGS.sizes, seed });
        bodySize[provider.slug] = rows.map((row) => ({
          label: row.label,
          bodyBytes: row.bodyBytes,
          eventBytes: row.eventBytes,
          receiverMs: round(row.receiverMs.median, 3),
          baselineMs: round(row.baselineMs.median, 3),
          ratio: ratio(row.receiverMs.median, row.baselineMs.median),
        }));
      }
    } finally {
      await lab.stop();
    }
  }
  if (runs('overhead')) receiverOverhead = { iterations: SETTINGS.overhead.iterations, perProvider };
  if (!runs('sizes')) bodySize = undefined;
}
if (runs('overhead')) {
  // The detailedTracing build beside the default one: reported, no goal.
  const perProvider: Record<string, OverheadRow> = {};
  for (const provider of providers) {
    const lab = await startLab(provider.slug, true, true);
    try {
      say(`receiver overhead, ${provider.slug}, detailedTracing build: ${SETTINGS.overhead.iterations} interleaved pairs with the baseline (SDK bundled)`);
      const pair = await lab.request<OverheadTimings>('overhead', { ...SETTINGS.overhead, seed });
      const row = overheadRow(pair);
      perProvider[provider.slug] = row;
      say(`  ratio ${String(row.ratio)} (CPU ${String(row.cpuRatio)}); X-Ray segments: ${String(pair.receiverSegments)} for ${String(pair.receiverCalls)} receiver requests`);
    } finally {
      await lab.stop();
    }
  }
  receiverOverheadDetailedTracing = { iterations: SETTINGS.overhead.iterations, perProvider };
}

let concurrencyRows: ConcurrencyRow[] | undefined;
let sweepProvider: string | undefined;
if (runs('concurrency')) {
  // The provider whose receiver costs the most over the baseline (or the first), one receiver per process as in Lambda.
  sweepProvider =
    worst(Object.fromEntries(Object.entries(receiverOverhead?.perProvider ?? {}).map(([slug, row]) => [slug, row.ratio])))?.name ?? providers[0]?.slug ?? '';
  const sweepOf = providers.find((provider) => provider.slug === sweepProvider);
  if (!sweepOf) throw new Error('bench: no provider for the sweep');
  // Without Lambda tracing: many requests in flight in one process is the local runtime's case, never Lambda's.
  const lab = await startLab(sweepOf.slug, false);
  try {
    const { receiverUrl, baselineUrl } = await lab.request<{ receiverUrl: string; baselineUrl: string }>('serve');
    concurrencyRows = [];
    for (const level of CONCURRENCY_LEVELS) {
      say(`throughput at concurrency ${level}: ${SETTINGS.concurrency.requests} requests to the ${sweepOf.slug} receiver, as many to the baseline`);
      const requests = await providerDeliveries(sweepOf, { count: SETTINGS.concurrency.requests, run: `${run}-c${level}`, secrets, conversations: 200 });
      // Halves, alternating, so that drift falls on both sides alike.
      const half = Math.ceil(requests.length / 2);
      const sides = { receiver: { latencies: [] as number[], elapsed: 0, ok: 0 }, baseline: { latencies: [] as number[], elapsed: 0, ok: 0 } };
      for (const part of [requests.slice(0, half), requests.slice(half)]) {
        for (const side of ['receiver', 'baseline'] as const) {
          const load = await sendLoad(side === 'receiver' ? receiverUrl : baselineUrl, part, level, (d) => (side === 'receiver' ? d.headers : d.baselineHeaders));
          const failed = Object.entries(load.statuses).filter(([status]) => status !== '200');
          if (failed.length) throw new Error(`bench: the ${side} answered ${failed.map(([status, n]) => `${n}×${status}`).join(', ')} at concurrency ${level}`);
          sides[side].latencies.push(...load.latenciesMs);
          sides[side].elapsed += load.elapsedMs;
          sides[side].ok += load.latenciesMs.length;
        }
      }
      await lab.request('purge');
      const describe = (side: (typeof sides)['receiver']) => {
        const latency = summarise(side.latencies, 2);
        return { throughputPerSec: round((side.ok / side.elapsed) * 1000, 0), p50Ms: latency.median, p99Ms: latency.p99 };
      };
      const receiver = describe(sides.receiver);
      const baseline = describe(sides.baseline);
      concurrencyRows.push({ concurrency: level, requests: requests.length, receiver, baseline, throughputRatio: ratio(receiver.throughputPerSec, baseline.throughputPerSec) });
    }
  } finally {
    await lab.stop();
  }
}

/**
 * Sends every delivery once, `concurrency` at a time, with `npm run load`'s generator (each delivery a conversation
 * of its own: the bench needs no order among them), and counts the answers by status (0: none).
 */
async function sendLoad(url: string, deliveries: readonly BenchDelivery[], concurrency: number, headersOf = (d: BenchDelivery) => d.headers) {
  const burst = await sendBurst({
    url,
    concurrency,
    conversations: deliveries.map((d) => ({ group: d.eventId, deliveries: [{ provider: d.slug, path: `/webhooks/${d.slug}`, body: d.body, headers: headersOf(d), eventId: d.eventId }] })),
  });
  const finishedAt = performance.now();
  const acknowledgedIds = [...burst.acknowledged.values()].flat();
  const statuses: Record<number, number> = { 200: acknowledgedIds.length, ...Object.fromEntries(burst.rejectedByStatus) };
  if (burst.unanswered) statuses[0] = burst.unanswered;
  const acknowledged = new Set(acknowledgedIds);
  const notAcknowledgedIds = deliveries.map((d) => d.eventId).filter((id) => !acknowledged.has(id));
  return { statuses, latenciesMs: burst.ackLatenciesMs, acknowledgedIds, notAcknowledgedIds, elapsedMs: burst.elapsedMs, finishedAt };
}

/** `count` deliveries taking the providers in turn, each with a unique event id. */
async function mixedDeliveries(count: number, runId: string): Promise<BenchDelivery[]> {
  const perProvider = await Promise.all(
    providers.map((provider) => providerDeliveries(provider, { count: Math.ceil(count / providers.length), run: runId, secrets, conversations: 200 })),
  );
  const mixed: BenchDelivery[] = [];
  for (let i = 0; mixed.length < count; i++) {
    const delivery = perProvider[i % providers.length]?.[Math.floor(i / providers.length)];
    if (delivery) mixed.push(delivery);
  }
  return mixed;
}

// ------------------------------------------------------------------------------------------------ verify
let verify: Record<string, VerifyRow[]> | undefined;
if (runs('verify')) {
  say(`verification: ${providers.length} providers × ${VERIFY_SIZES.map((s) => s.label).join(' and ')} bodies, tinybench, ${SETTINGS.verify.timeMs} ms per task`);
  const lab = await startBenchChild('verify-lab', 'bench/sections/verify-lab.ts', { PATH: process.env.PATH ?? '' });
  try {
    verify = await lab.request<Record<string, VerifyRow[]>>('verify', { sizes: VERIFY_SIZES, ...SETTINGS.verify, seed, secrets: receiverSecrets });
  } finally {
    await lab.stop();
  }
}

// ---------------------------------------------------------------------------------------------------- e2e
let e2e: EndToEnd | undefined;
if (runs('e2e')) {
  const { events, concurrency } = SETTINGS.e2e;
  say(`end to end: ${events} signed mixed-provider webhooks at concurrency ${concurrency} into the local runtime`);
  const deliveries = await mixedDeliveries(events, `${run}-e2e`);
  const pipeline = await startBenchChild('pipeline', 'bench/sections/pipeline-host.ts', {
    PATH: process.env.PATH ?? '',
    BENCH_PIPELINE: JSON.stringify({ secrets: receiverSecrets }),
  });
  try {
    const url = await pipeline.request<string>('url');
    const sendStarted = performance.now();
    const load = await sendLoad(url, deliveries, concurrency);
    const acknowledged = new Set(load.acknowledgedIds);
    say(`  ${acknowledged.size} acknowledged in ${(load.elapsedMs / 1000).toFixed(1)} s; waiting for the worker`);
    // Bounded: gives up when nothing was processed for 30 s.
    let processedAt = load.finishedAt;
    let lastCount = -1;
    let lastProgress = performance.now();
    for (;;) {
      const count = await pipeline.request<number>('processedCount');
      if (count !== lastCount) {
        lastCount = count;
        lastProgress = performance.now();
      }
      if (count >= acknowledged.size) {
        const seen = new Set(await pipeline.request<string[]>('processedIds'));
        if ([...acknowledged].every((id) => seen.has(id))) {
          processedAt = performance.now();
          break;
        }
      }
      if (performance.now() - lastProgress > 30_000) {
        say('  the worker made no progress for 30 s: counting what is missing as lost');
        processedAt = performance.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Late duplicates would come after a visibility timeout (3 s locally).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const processed = await pipeline.request<string[]>('processedIds');
    const times = new Map<string, number>();
    for (const id of processed) times.set(id, (times.get(id) ?? 0) + 1);
    let lost = 0;
    let duplicates = 0;
    for (const id of acknowledged) {
      const count = times.get(id) ?? 0;
      if (count === 0) lost++;
      else duplicates += count - 1;
    }
    const notAcknowledgedButProcessed = load.notAcknowledgedIds.filter((id) => times.has(id)).length;
    const notAcknowledged = Object.fromEntries(Object.entries(load.statuses).filter(([status]) => status !== '200').map(([status, count]) => [status === '0' ? 'no answer' : status, count]));
    const ackLatency = summarise(load.latenciesMs, 2);
    e2e = {
      events,
      concurrency,
      throughputPerSec: round((acknowledged.size - lost) / ((processedAt - sendStarted) / 1000), 0),
      ackThroughputPerSec: round((acknowledged.size / load.elapsedMs) * 1000, 0),
      ackP50Ms: ackLatency.median,
      ackP99Ms: ackLatency.p99,
      drainMs: round(Math.max(0, processedAt - load.finishedAt), 0),
      lost,
      duplicates,
      notAcknowledged,
      notAcknowledgedButProcessed,
    };
    say(`  processed ${acknowledged.size - lost}, lost ${lost}, duplicates ${duplicates}, ${e2e.throughputPerSec}/s end to end`);
  } finally {
    await pipeline.stop();
  }
}

// ------------------------------------------------------------------------------------------------ delivery
let delivery: Delivery | undefined;
if (runs('delivery')) {
  const { conversations, backlogPerConversation, pacedPerConversation, roundGapMs, workerConcurrency } = SETTINGS.delivery;
  say(`delivery: ${conversations} conversations through the worker to an HTTPS destination on loopback (worker concurrency ${workerConcurrency})`);
  const measure = async (mode: 'handler' | 'destination', work: (host: BenchChild) => Promise<void>) => {
    const host = await startBenchChild(`delivery-${mode}`, 'bench/sections/delivery-host.ts', {
      PATH: process.env.PATH ?? '',
      BENCH_DELIVERY_MODE: mode,
      BENCH_WORKER_CONCURRENCY: String(workerConcurrency),
    });
    try {
      await work(host);
    } finally {
      await host.stop();
    }
  };
  const backlog = { conversations, perConversation: backlogPerConversation, roundGapMs: 0 };
  let toHandler: DeliveryRun | undefined;
  await measure('handler', async (host) => {
    toHandler = await host.request<DeliveryRun>('run', backlog);
  });
  let toDestination: DeliveryRun | undefined;
  let paced: DeliveryRun | undefined;
  await measure('destination', async (host) => {
    toDestination = await host.request<DeliveryRun>('run', backlog);
    paced = await host.request<DeliveryRun>('run', { conversations, perConversation: pacedPerConversation, roundGapMs });
  });
  if (toHandler && toDestination && paced) {
    delivery = { workerConcurrency, backlog: toDestination, backlogToHandler: toHandler, paced: { ...paced, roundGapMs } };
    say(`  ${toDestination.deliveredPerSec}/s delivered (code handler: ${toHandler.deliveredPerSec}/s); paced: added p50 ${paced.addedP50Ms} ms, p99 ${paced.addedP99Ms} ms`);
  }
}

// ---------------------------------------------------------------------------------------------- results
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const dirty = (() => {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repositoryRoot, encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
})();

const nan = Number.NaN;
const emptyShipping = (): ShippingColdStarts => ({
  baseline: { importMs: nan, importP75Ms: nan, importCpuMs: nan, firstRequestMs: nan, coldStartMs: nan, segments: nan },
  receivers: {},
  worstImportRatio: nan,
  worstReceiver: '',
  worstColdStartMs: nan,
});
const largestReceiver = providers.map((p) => bundleOf(chosenSdk, p.slug)).sort((a, b) => b.bytes - a.bytes)[0];
const results: BenchResults = {
  schemaVersion: 2,
  mode,
  startedAt: startedAt.toISOString(),
  durationSeconds: round((performance.now() - started) / 1000, 1),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    os: `${type()} ${release()}`,
    node: nodeVersion,
    loadAverageAtStart: loadAverageAtStart.map((l) => round(l, 2)),
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  },
  revision: { commit, dirty },
  goals: GOALS,
  receiverOverheadRatio: worst(Object.fromEntries(Object.entries(receiverOverhead?.perProvider ?? {}).map(([slug, row]) => [slug, row.ratio])))?.value ?? nan,
  receiverOverheadRatioToCleanBaseline:
    worst(Object.fromEntries(Object.entries(receiverOverhead?.perProvider ?? {}).map(([slug, row]) => [slug, row.ratioToBaselineAlone])))?.value ?? nan,
  receiverOverhead: receiverOverhead ?? { iterations: 0, perProvider: {} },
  receiverOverheadRatioDetailedTracing:
    worst(Object.fromEntries(Object.entries(receiverOverheadDetailedTracing?.perProvider ?? {}).map(([slug, row]) => [slug, row.ratio])))?.value ?? nan,
  receiverOverheadDetailedTracing: receiverOverheadDetailedTracing ?? { iterations: 0, perProvider: {} },
  coldInitRatio: coldInit?.bySdk[chosenSdk].worstImportRatio ?? nan,
  coldInitRatioDetailedTracing: coldInit?.detailedTracing.worstImportRatio ?? nan,
  coldInit: coldInit ?? {
    processesPerBundle: 0,
    chosenSdk,
    choice: 'not measured in this run',
    bySdk: { bundled: emptyShipping(), runtime: emptyShipping() },
    noNetworkAtImport: { passed: false, checks: [] },
    detailedTracing: emptyShipping(),
  },
  receiverBundleBytes: Object.fromEntries(providers.map((provider) => [provider.slug, bundleOf(chosenSdk, provider.slug).bytes])),
  bundleBytes,
  detailedTracingBundleBytes,
  bundleComposition: {
    ...(largestReceiver ? { [largestReceiver.name]: (await compositionOf(largestReceiver)).slice(0, 15) } : {}),
    baseline: (await compositionOf(bundleOf(chosenSdk, BASELINE))).slice(0, 15),
  },
  verifyRatio: Object.fromEntries(Object.entries(verify ?? {}).map(([slug, rows]) => [slug, Object.fromEntries(rows.map((row) => [row.label.replace(' ', ''), row.ratio]))])),
  verify: verify ?? {},
  e2e: e2e ?? { events: 0, concurrency: 0, throughputPerSec: nan, ackThroughputPerSec: nan, ackP50Ms: nan, ackP99Ms: nan, drainMs: nan, lost: nan, duplicates: nan, notAcknowledged: {}, notAcknowledgedButProcessed: nan },
  delivery,
  costGrowth: { bodySize: bodySize ?? {}, concurrency: concurrencyRows ?? [], concurrencyProvider: sweepProvider ?? '' },
};

const complete = !only;
await mkdir(scratchDirectory, { recursive: true });
// Only a complete full run replaces the tracked results; the others go to the git-ignored scratch directory.
const resultsFile =
  complete && mode === 'full' ? join(repositoryRoot, 'bench/results.json') : join(scratchDirectory, complete ? 'results.quick.json' : 'results.partial.json');
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

let chartPath: string | undefined;
if (complete && mode === 'full' && bodySize && concurrencyRows) {
  const sizeLabels = Object.values(bodySize)[0]?.map((row) => row.label) ?? [];
  const chart = renderChart(
    [
      {
        title: 'Time per request by body size',
        xLabel: 'body size',
        yLabel: 'median ms per request (log)',
        xTicks: sizeLabels,
        logY: true,
        series: [
          {
            name: 'baseline (bare HMAC + SendMessage), median of the labs',
            values: sizeLabels.map((_, i) => median(Object.values(bodySize).map((rows) => rows[i]?.baselineMs ?? Number.NaN))),
            dashed: true,
          },
          ...Object.entries(bodySize).map(([slug, rows]) => ({ name: `${slug} receiver`, values: rows.map((row) => row.receiverMs) })),
        ],
      },
      {
        title: 'Throughput by concurrency',
        xLabel: 'requests in flight',
        yLabel: 'requests answered per second',
        xTicks: concurrencyRows.map((row) => String(row.concurrency)),
        series: [
          { name: 'baseline', values: concurrencyRows.map((row) => row.baseline.throughputPerSec), dashed: true },
          { name: `${String(sweepProvider)} receiver`, values: concurrencyRows.map((row) => row.receiver.throughputPerSec) },
        ],
      },
    ],
    `npm run bench (${mode}), ${startedAt.toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node.js ${nodeVersion}, SDK ${chosenSdk}`,
  );
  await writeFile(join(repositoryRoot, 'bench/cost-growth.svg'), chart);
  chartPath = 'bench/cost-growth.svg';
}

const markdown = resultsMarkdown(results, chartPath);
if (complete && mode === 'full') {
  const file = join(repositoryRoot, 'BENCHMARKS.md');
  await writeFile(file, replaceGeneratedSection(await readFile(file, 'utf8'), markdown));
}
process.stdout.write(`\n${markdown}\n\n`);
say(`results written to ${resultsFile.replace(repositoryRoot, '')}${chartPath ? `, ${chartPath} and BENCHMARKS.md` : ''} (free memory ${Math.round(freemem() / 2 ** 20)} MiB)`);
