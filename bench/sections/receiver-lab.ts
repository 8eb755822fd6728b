/**
 * Child process: one provider's receiver bundle and the baseline bundle, side by side in one process against
 * the embedded SQS server (and a Secrets Manager stand-in), exactly as built for Lambda. One receiver per
 * process, as in Lambda: whatever a bundle installs process-wide is there once.
 * It times handler invocations, interleaved, and serves both bundles over HTTP for the concurrency sweep.
 * Both run with the environment of a Lambda function with active tracing, and a fresh trace header in
 * `_X_AMZN_TRACE_ID` for every invocation, as Lambda sets it: the receiver sends its segments to the stand-in
 * X-Ray daemon of the local AWS (in this process, as the SQS server is); the baseline, which has no tracer,
 * passes the header on to SQS as the SDK does in Lambda.
 *
 * Started by `bench/run.ts` with BENCH_LAB = {"provider", "receiverBundle", "baselineBundle", "secret",
 * "baselineSecret", "run"}.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createLocalServer } from '../../dev/local/server.js';
import { findProvider } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { serveBenchCommands } from '../lib/child.js';
import { lambdaTraceHeader, lambdaTracingEnvironment, localSecretArn, startLambdaAws, type LambdaAws } from '../../dev/fakes/lambda-aws.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { seededRandom } from '../lib/interleaving.js';
import { summarise, type Summary } from '../lib/summary.js';
import { httpApiEvent, lambdaContext, largestAcceptedBody, providerDeliveries, type BenchDelivery, type WorkloadSecrets } from '../lib/workload.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface LabConfig {
  readonly provider: string;
  /**
   * Whether the functions get Lambda's active-tracing environment. On for the timings of one request at a time;
   * off for the concurrency sweep, where many requests are in flight in one process: that is the local
   * runtime's situation (which has no Lambda tracing), never Lambda's, which runs one request per environment,
   * and the X-Ray SDK keeps one Lambda context per process, which concurrent invocations would share.
   */
  readonly tracing: boolean;
  readonly receiverBundle: string;
  readonly baselineBundle: string;
  readonly secret: string;
  readonly baselineSecret: string;
  readonly run: string;
}

const config = JSON.parse(process.env.BENCH_LAB ?? '{}') as LabConfig;
const found = findProvider(config.provider);
if (!found) throw new Error(`bench: unknown provider ${config.provider}`);
const provider: ProviderDefinition = found;
const secrets: WorkloadSecrets = { receiver: () => config.secret, baseline: config.baselineSecret };

const aws: LambdaAws = await startLambdaAws(new Map([[localSecretArn(provider.slug), config.secret]]));
process.env.AWS_ENDPOINT_URL_SQS = aws.sqsEndpoint;
process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = aws.secretsManagerEndpoint;
// Active tracing, as the stack enables it: read at import by the X-Ray SDK and Powertools Tracer. One process
// holds two functions here; the task root is the receiver's folder (the baseline reads none of these).
if (config.tracing) {
  Object.assign(
    process.env,
    lambdaTracingEnvironment({ daemonAddress: aws.xrayDaemonAddress, taskRoot: dirname(config.receiverBundle), functionName: `bench-${provider.slug}` }),
  );
}

/** Imports a bundle with the environment its function would have: it reads the environment at import. */
async function importBundle(file: string, env: Record<string, string>): Promise<Handler> {
  Object.assign(process.env, env);
  const module = (await import(pathToFileURL(file).href)) as { handler?: Handler };
  if (typeof module.handler !== 'function') throw new Error(`bench: ${file} exports no handler`);
  return module.handler;
}

const baseline = await importBundle(config.baselineBundle, { QUEUE_URL: aws.spareQueueUrl, BASELINE_SECRET: config.baselineSecret });
// Imported on the first command, after the baseline has been timed on its own.
let receiver: Handler | undefined;
async function loadReceiver(): Promise<Handler> {
  receiver ??= await importBundle(config.receiverBundle, { QUEUE_URL: aws.queueUrl, PROVIDER_SECRET_ARN: localSecretArn(provider.slug) });
  return receiver;
}

/**
 * One invocation, timed (wall clock and this process's CPU) from the call to the answer; anything but 200 stops
 * the benchmark. Like Lambda, it sets a new trace header before the call (not timed: the runtime's work).
 */
async function timedCall(handler: Handler, event: APIGatewayProxyEventV2, what: string): Promise<{ ms: number; cpuMs: number }> {
  const context = lambdaContext('bench');
  if (config.tracing) process.env._X_AMZN_TRACE_ID = lambdaTraceHeader();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const response = await handler(event, context);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (response.statusCode !== 200) throw new Error(`${what} answered ${String(response.statusCode)}: ${response.body ?? ''}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export interface PairTimings {
  readonly receiverMs: Summary;
  readonly baselineMs: Summary;
  readonly receiverCpuMs: Summary;
  readonly baselineCpuMs: Summary;
}

/**
 * Interleaved pairs: for each delivery, the receiver and the baseline each handle it (the same body, each
 * signed for its side), in a random order per pair, one request at a time. The first `warmup` pairs are
 * not counted.
 */
async function interleaved(deliveries: readonly BenchDelivery[], warmup: number, random: () => number): Promise<PairTimings> {
  const handler = await loadReceiver();
  const receiverEvents = deliveries.map((delivery) => httpApiEvent(provider.slug, delivery.body, delivery.headers));
  const baselineEvents = deliveries.map((delivery) => httpApiEvent(provider.slug, delivery.body, delivery.baselineHeaders));
  const times = { receiver: [] as number[], baseline: [] as number[], receiverCpu: [] as number[], baselineCpu: [] as number[] };
  for (let i = 0; i < deliveries.length; i++) {
    const receiverEvent = receiverEvents[i];
    const baselineEvent = baselineEvents[i];
    if (!receiverEvent || !baselineEvent) continue;
    let receiverTime: { ms: number; cpuMs: number };
    let baselineTime: { ms: number; cpuMs: number };
    if (random() < 0.5) {
      receiverTime = await timedCall(handler, receiverEvent, `the ${provider.slug} receiver`);
      baselineTime = await timedCall(baseline, baselineEvent, 'the baseline');
    } else {
      baselineTime = await timedCall(baseline, baselineEvent, 'the baseline');
      receiverTime = await timedCall(handler, receiverEvent, `the ${provider.slug} receiver`);
    }
    if (i < warmup) continue;
    times.receiver.push(receiverTime.ms);
    times.baseline.push(baselineTime.ms);
    times.receiverCpu.push(receiverTime.cpuMs);
    times.baselineCpu.push(baselineTime.cpuMs);
  }
  return {
    receiverMs: summarise(times.receiver, 4),
    baselineMs: summarise(times.baseline, 4),
    receiverCpuMs: summarise(times.receiverCpu, 4),
    baselineCpuMs: summarise(times.baselineCpu, 4),
  };
}

interface OverheadArgs {
  readonly iterations: number;
  readonly warmup: number;
  readonly seed: number;
}

export interface OverheadTimings extends PairTimings {
  /** The baseline timed in this process before the receiver bundle was imported (nothing of the receiver loaded). */
  readonly baselineAloneMs: Summary;
  /** Receiver invocations in the interleaved pairs, warm-up included. */
  readonly receiverCalls: number;
  /** Datagrams (segment documents) the stand-in X-Ray daemon received during the interleaved pairs. */
  readonly receiverSegments: number;
  /** The same while the baseline ran alone: none expected, it has no tracer. */
  readonly baselineAloneSegments: number;
}

/** The daemon's count once the datagrams already sent have been read (they arrive on this process's event loop). */
async function segmentsSoFar(): Promise<number> {
  await sleep(25);
  return aws.segmentsReceived();
}

/** The baseline on its own, then receiver against baseline, on the provider's own default sample. */
async function overhead(args: OverheadArgs): Promise<OverheadTimings> {
  if (receiver) throw new Error('bench: overhead must be the first measurement of a lab');
  const count = args.warmup + args.iterations;
  const alone = await providerDeliveries(provider, { count, run: `${config.run}-alone`, secrets });
  const aloneMs: number[] = [];
  const beforeAlone = await segmentsSoFar();
  for (const [i, delivery] of alone.entries()) {
    const { ms } = await timedCall(baseline, httpApiEvent(provider.slug, delivery.body, delivery.baselineHeaders), 'the baseline');
    if (i >= args.warmup) aloneMs.push(ms);
  }
  const baselineAloneSegments = (await segmentsSoFar()) - beforeAlone;
  await aws.purge();
  const deliveries = await providerDeliveries(provider, { count, run: `${config.run}-overhead`, secrets });
  const beforePairs = await segmentsSoFar();
  const pairs = await interleaved(deliveries, args.warmup, seededRandom(args.seed));
  const receiverSegments = (await segmentsSoFar()) - beforePairs;
  await aws.purge();
  return { ...pairs, baselineAloneMs: summarise(aloneMs, 4), receiverCalls: deliveries.length, receiverSegments, baselineAloneSegments };
}

interface SizesArgs {
  /** Body sizes in bytes; `max` is the largest body whose event still fits in a queue message. */
  readonly sizes: readonly { readonly label: string; readonly bytes: number | 'max' }[];
  readonly iterations: number;
  readonly warmup: number;
  readonly seed: number;
}

export interface SizeTimings extends PairTimings {
  readonly label: string;
  readonly bodyBytes: number;
  readonly eventBytes: number;
}

/** Receiver against baseline for each body size. */
async function sizes(args: SizesArgs): Promise<SizeTimings[]> {
  const random = seededRandom(args.seed + 1);
  const rows: SizeTimings[] = [];
  for (const size of args.sizes) {
    const bytes = size.bytes === 'max' ? await largestAcceptedBody(provider, queueTopology.maximumMessageSizeBytes, secrets) : size.bytes;
    const deliveries = await providerDeliveries(provider, { count: args.warmup + args.iterations, run: `${config.run}-size-${size.label}`, secrets, bytes });
    const timings = await interleaved(deliveries, args.warmup, random);
    rows.push({ label: size.label, bodyBytes: bytes, eventBytes: deliveries[0]?.eventBytes ?? 0, ...timings });
    await aws.purge();
  }
  return rows;
}

const servers: Server[] = [];

/**
 * Serves the receiver and, on a second port, the baseline over HTTP, as the local runtime maps requests to events
 * (in a lab started without tracing: see {@link LabConfig.tracing}).
 */
async function serve(): Promise<{ receiverUrl: string; baselineUrl: string }> {
  const listen = async (handler: Handler): Promise<string> => {
    const server = createLocalServer({
      receivers: new Map([[provider.slug, handler]]),
      maximumBodyBytes: queueTopology.maximumMessageSizeBytes,
      receiverTimeoutMs: 5_000,
      inspect: {},
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  return { receiverUrl: await listen(await loadReceiver()), baselineUrl: await listen(baseline) };
}

/** Empties the queues between runs of the sweep. */
async function purge(): Promise<void> {
  await aws.purge();
}

serveBenchCommands({ overhead, sizes, serve, purge, secretFetches: async () => aws.secretFetches() }, async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await aws.stop();
});
