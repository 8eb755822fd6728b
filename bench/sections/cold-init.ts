/**
 * Cold starts: every bundle imported in fresh Node.js 24 processes (`bench/probe/cold-start.mjs`), one process
 * at a time, bundles in a shuffled order each round so that whatever else the machine does falls on all of
 * them alike. Each process also answers one request (the first request of a cold start) against the local
 * AWS, with active tracing as in Lambda: the probe sets a fresh trace header before the call and the segments
 * go to the local AWS's stand-in X-Ray daemon. A separate check imports each bundle once more with every
 * network call refused and reports any.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BASELINE, type BuiltBundle } from '../lib/bundles.js';
import { functionEnvironment, lambdaTraceHeader, localSecretArn, type LambdaAws } from '../../dev/fakes/lambda-aws.js';
import { nodeBinary, repositoryRoot } from '../lib/paths.js';
import { seededRandom, shuffled } from '../lib/interleaving.js';
import { httpApiEvent, type BenchDelivery } from '../lib/workload.js';

const probe = join(repositoryRoot, 'bench/probe/cold-start.mjs');
const guard = join(repositoryRoot, 'bench/probe/no-network.mjs');

export interface ProbeResult {
  readonly nodeStartMs: number;
  readonly importMs: number;
  readonly importCpuMs: number;
  readonly handler: string;
  readonly firstRequestMs?: number;
  readonly statusCode?: number;
  readonly networkAttempts?: string[];
  /** What the process wrote to stderr, when it wrote anything (an X-Ray SDK complaint, say). */
  readonly stderr?: string;
  /** Datagrams the stand-in X-Ray daemon received from the process (set by {@link measureColdStarts}). */
  readonly segments?: number;
}

/** Runs the probe once in a fresh process; rejects when it fails or takes more than 30 s. */
export function runProbe(file: string, env: Record<string, string>, preload?: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary, [...(preload ? ['--import', preload] : []), probe, file], {
      cwd: repositoryRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 || output === '') {
        reject(new Error(`cold-start probe of ${file} failed (exit ${String(code)}): ${errors.trim().slice(0, 2_000)}`));
        return;
      }
      const result = JSON.parse(output) as ProbeResult;
      resolve(errors.trim() === '' ? result : { ...result, stderr: errors.trim().slice(0, 2_000) });
    });
  });
}

export interface ColdStartOptions {
  readonly bundles: readonly BuiltBundle[];
  /** Processes per bundle. */
  readonly processes: number;
  readonly aws: LambdaAws;
  /** Signed deliveries per provider slug, at least `processes` of each; the baseline takes the first provider's. */
  readonly deliveries: ReadonlyMap<string, readonly BenchDelivery[]>;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Bundle key: `<sdk>/<name>`, `<sdk>+tracer/<name>` for the `detailedTracing` build. */
export const bundleKey = (bundle: Pick<BuiltBundle, 'sdk' | 'name'> & { readonly detailedTracing?: boolean }) =>
  `${bundle.sdk}${bundle.detailedTracing ? '+tracer' : ''}/${bundle.name}`;

/** Where Lambda's X-Ray daemon listens, in `AWS_XRAY_DAEMON_ADDRESS` of every function with active tracing. */
const LAMBDA_XRAY_DAEMON_ADDRESS = '169.254.79.129:2000';

/**
 * The environment of a bundle's function, as the stack sets it, with active tracing, pointed at the local AWS
 * (without one, at Lambda's own daemon address: the network check refuses whatever would go there).
 */
function environmentOf(
  bundle: BuiltBundle,
  aws: Pick<LambdaAws, 'sqsEndpoint' | 'secretsManagerEndpoint' | 'queueUrl' | 'spareQueueUrl' | 'xrayDaemonAddress'> | undefined,
  baselineSecret: string | undefined,
) {
  const isBaseline = bundle.name === BASELINE;
  return functionEnvironment({
    ...(aws ? { aws } : {}),
    tracing: { daemonAddress: aws?.xrayDaemonAddress ?? LAMBDA_XRAY_DAEMON_ADDRESS, taskRoot: dirname(bundle.file), functionName: `bench-${bundle.name}` },
    queueUrl: aws ? (isBaseline ? aws.spareQueueUrl : aws.queueUrl) : 'https://sqs.us-east-1.amazonaws.com/000000000000/chat-webhook-events.fifo',
    ...(isBaseline ? { baselineSecret: baselineSecret ?? 'bench' } : { secretArn: localSecretArn(bundle.name) }),
    nodeOptions: bundle.nodeOptions,
  });
}

/** Import time and first request of every bundle, `processes` fresh processes each. */
export async function measureColdStarts(options: ColdStartOptions & { readonly baselineSecret: string }): Promise<Map<string, ProbeResult[]>> {
  const random = seededRandom(options.seed);
  const results = new Map<string, ProbeResult[]>(options.bundles.map((bundle) => [bundleKey(bundle), []]));
  const total = options.bundles.length * options.processes;
  const firstProvider = options.bundles.find((bundle) => bundle.name !== BASELINE)?.name ?? '';
  let done = 0;
  for (let round = 0; round < options.processes; round++) {
    for (const bundle of shuffled(options.bundles, random)) {
      const isBaseline = bundle.name === BASELINE;
      const delivery = options.deliveries.get(isBaseline ? firstProvider : bundle.name)?.[round];
      if (!delivery) throw new Error(`bench: no delivery for the cold start of ${bundleKey(bundle)}`);
      // The baseline's delivery is not enqueued by the receivers: reuse is fine, the queues are apart.
      const event = httpApiEvent(delivery.slug, delivery.body, isBaseline ? delivery.baselineHeaders : delivery.headers);
      // The probe puts BENCH_TRACE_ID in `_X_AMZN_TRACE_ID` just before the call: Lambda sets it per invocation, not at init.
      const env = { ...environmentOf(bundle, options.aws, options.baselineSecret), BENCH_EVENT: JSON.stringify(event), BENCH_TRACE_ID: lambdaTraceHeader() };
      const segmentsBefore = options.aws.segmentsReceived();
      const probed = await runProbe(bundle.file, env);
      // The datagrams were sent before the process exited; give this process's event loop a moment to read them.
      await sleep(10);
      const result: ProbeResult = { ...probed, segments: options.aws.segmentsReceived() - segmentsBefore };
      if (result.handler !== 'function') throw new Error(`bench: ${bundleKey(bundle)} exports no handler`);
      if (result.statusCode !== 200) throw new Error(`bench: the first request of ${bundleKey(bundle)} was answered ${String(result.statusCode)}`);
      results.get(bundleKey(bundle))?.push(result);
      options.onProgress?.(++done, total);
    }
  }
  return results;
}

export interface NetworkCheck {
  readonly bundle: string;
  readonly attempts: readonly string[];
}

/**
 * Imports each bundle with `AWS_REGION` set, the stack's environment, no endpoint override and every network
 * call refused before it leaves the process; reports what each import tried.
 */
export async function checkNoNetworkAtImport(bundles: readonly BuiltBundle[]): Promise<NetworkCheck[]> {
  const checks: NetworkCheck[] = [];
  for (const bundle of bundles) {
    const env = { ...environmentOf(bundle, undefined, undefined), BENCH_NETWORK_CHECK: '1' };
    const result = await runProbe(bundle.file, env, guard);
    checks.push({ bundle: bundleKey(bundle), attempts: result.networkAttempts ?? ['no report'] });
  }
  return checks;
}
