/**
 * Child process: each provider's `verify()` against a bare `createHmac(...).update(body).digest()` of the same
 * body, for 2 KB and 10 KB bodies, as a tinybench micro-benchmark: one `Bench` per provider and size holding
 * verify, verify during a rotation and the bare HMAC, each warmed up, then timed call by call for its time
 * budget; the time per call is tinybench's median.
 */
import { createHmac } from 'node:crypto';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import { Bench } from 'tinybench';
import { serveBenchCommands } from '../lib/child.js';
import { seededRandom, shuffled } from '../lib/interleaving.js';
import { ratio, round } from '../lib/ratios.js';
import type { VerifyRow } from '../lib/results.js';
import { httpApiEvent, providerDeliveries, type WorkloadSecrets } from '../lib/workload.js';

/**
 * The digest a bare check of this provider would compute: its signature's algorithm (Chatzuri's documented
 * form is HMAC-SHA1; the Qiscus products sign with HMAC-SHA256). Qikchat sends Basic credentials, no HMAC:
 * its reference is HMAC-SHA256, what a bare webhook check typically computes.
 */
export function referenceAlgorithm(slug: string): 'sha1' | 'sha256' {
  return slug === 'chatzuri' ? 'sha1' : 'sha256';
}

interface VerifyArgs {
  readonly sizes: readonly { readonly label: string; readonly bytes: number }[];
  /** tinybench's time budget per task (`time`, at least its default 64 calls), in milliseconds. */
  readonly timeMs: number;
  /** tinybench's warm-up budget per task (`warmupTime`), in milliseconds. */
  readonly warmupMs: number;
  /** Seeds the order of the three tasks in each bench, so that none always runs first. */
  readonly seed: number;
  readonly secrets: Readonly<Record<string, string>>;
}

type TaskName = 'verify' | 'rotation' | 'hmac';

// What the bare HMAC computes goes here and is read after the run, so the engine cannot drop the work (tinybench's advice).
let sink = 0;

/** tinybench's median time per call of a task, in µs (it reports ms), with its relative margin of error and call count. */
function perCall(bench: Bench, name: TaskName): { us: number; rme: number; calls: number } {
  const result = bench.getTask(name)?.result;
  if (result?.state !== 'completed') throw new Error(`bench: the ${name} task ${result?.state ?? 'is missing'}`);
  return { us: result.latency.p50 * 1000, rme: round(result.latency.rme, 2), calls: result.latency.samplesCount };
}

async function verify(args: VerifyArgs): Promise<Record<string, VerifyRow[]>> {
  const random = seededRandom(args.seed);
  const secrets: WorkloadSecrets = { receiver: (provider: ProviderDefinition) => args.secrets[provider.slug] ?? '', baseline: 'unused' };
  const results: Record<string, VerifyRow[]> = {};
  for (const provider of providers) {
    const secret = secrets.receiver(provider);
    const algorithm = referenceAlgorithm(provider.slug);
    results[provider.slug] = [];
    for (const size of args.sizes) {
      const [sample] = await providerDeliveries(provider, { count: 1, run: 'verify', secrets, bytes: size.bytes });
      if (!sample) throw new Error('bench: no delivery');
      // The headers as the receiver gets them from API Gateway (lower-cased, with the gateway's own).
      const delivery: WebhookDelivery = { rawBody: sample.body, headers: httpApiEvent(provider.slug, sample.body, sample.headers).headers, receivedAt: new Date() };
      const body = sample.body;
      const one = [secret];
      const two = [secret, `${secret}-previous`];
      const calls: Record<TaskName, () => void> = {
        verify: () => provider.verify(delivery, one),
        rotation: () => provider.verify(delivery, two),
        hmac: () => {
          sink ^= createHmac(algorithm, secret).update(body).digest()[0] ?? 0;
        },
      };
      // One call per sample: subtracting the timer's own cost keeps a few-µs call from being over-measured.
      const bench = new Bench({ time: args.timeMs, warmupTime: args.warmupMs, timestampProvider: 'hrtimeNow', subtractTimerOverhead: true, throws: true });
      for (const name of shuffled(Object.keys(calls) as TaskName[], random)) bench.add(name, calls[name], { async: false });
      bench.runSync();
      const timed = { verify: perCall(bench, 'verify'), rotation: perCall(bench, 'rotation'), hmac: perCall(bench, 'hmac') };
      results[provider.slug]?.push({
        label: size.label,
        bodyBytes: body.length,
        algorithm: `hmac-${algorithm}`,
        verifyUs: round(timed.verify.us, 3),
        hmacUs: round(timed.hmac.us, 3),
        ratio: ratio(timed.verify.us, timed.hmac.us),
        rotationVerifyUs: round(timed.rotation.us, 3),
        rotationRatio: ratio(timed.rotation.us, timed.hmac.us),
        rme: { verify: timed.verify.rme, rotation: timed.rotation.rme, hmac: timed.hmac.rme },
        calls: { verify: timed.verify.calls, rotation: timed.rotation.calls, hmac: timed.hmac.calls },
      });
    }
  }
  if (sink === 0.5) process.stderr.write('unreachable\n');
  return results;
}

serveBenchCommands({ verify }, async () => undefined);
