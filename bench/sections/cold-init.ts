/**
 * Cold starts: every bundle imported in fresh Node.js 24 processes (`bench/probe/cold-start.mjs`), one process
 * at a time, bundles in a shuffled order each round so that whatever else the machine does falls on all of
 * them alike. Each process also answers one request (the first request of a cold start) against the local
 * AWS. A separate check imports each bundle once more with every network call refused and reports any.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gatewayNodeOptions } from '../../infra/bundling.js';
import { BASELINE, type BuiltBundle } from '../lib/bundles.js';
import { benchSecretArn, functionEnvironment, type LocalAws } from '../lib/local-aws.js';
import { nodeBinary, repositoryRoot } from '../lib/paths.js';
import { seededRandom, shuffled } from '../lib/stats.js';
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
        reject(new Error(`cold-start probe of ${file} failed (exit ${code}): ${errors.trim().slice(0, 2_000)}`));
        return;
      }
      resolve(JSON.parse(output) as ProbeResult);
    });
  });
}

export interface ColdStartOptions {
  readonly bundles: readonly BuiltBundle[];
  /** Processes per bundle. */
  readonly processes: number;
  readonly aws: LocalAws;
  /** Signed deliveries per provider slug, at least `processes` of each; the baseline takes the first provider's. */
  readonly deliveries: ReadonlyMap<string, readonly BenchDelivery[]>;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Bundle key: `<sdk>/<name>`. */
export const bundleKey = (bundle: Pick<BuiltBundle, 'sdk' | 'name'>) => `${bundle.sdk}/${bundle.name}`;

/** The environment of a bundle's function, as the stack sets it, pointed at the local AWS. */
function environmentOf(bundle: BuiltBundle, aws: Pick<LocalAws, 'sqsEndpoint' | 'secretsManagerEndpoint' | 'queueUrl' | 'baselineQueueUrl'> | undefined, baselineSecret: string | undefined) {
  const isBaseline = bundle.name === BASELINE;
  return functionEnvironment({
    ...(aws ? { aws } : {}),
    queueUrl: aws ? (isBaseline ? aws.baselineQueueUrl : aws.queueUrl) : 'https://sqs.us-east-1.amazonaws.com/000000000000/chat-webhook-events.fifo',
    ...(isBaseline ? { baselineSecret: baselineSecret ?? 'bench' } : { secretArn: benchSecretArn(bundle.name) }),
    nodeOptions: gatewayNodeOptions,
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
      const env = { ...environmentOf(bundle, options.aws, options.baselineSecret), BENCH_EVENT: JSON.stringify(event) };
      const result = await runProbe(bundle.file, env);
      if (result.handler !== 'function') throw new Error(`bench: ${bundleKey(bundle)} exports no handler`);
      if (result.statusCode !== 200) throw new Error(`bench: the first request of ${bundleKey(bundle)} was answered ${result.statusCode}`);
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
