/**
 * Child process: each provider's `verify()` against a bare `createHmac(...).update(body).digest()` of the same
 * body, for 2 KB and 10 KB bodies. Batches of calls alternate between the two (in a random order per round);
 * the time per call is the median over rounds.
 */
import { createHmac } from 'node:crypto';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import { serveBenchCommands } from '../lib/child.js';
import { median, ratio, round, seededRandom } from '../lib/stats.js';
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
  readonly rounds: number;
  readonly batch: number;
  readonly seed: number;
  readonly secrets: Readonly<Record<string, string>>;
}

export interface VerifyTiming {
  readonly label: string;
  readonly bodyBytes: number;
  readonly algorithm: string;
  /** Median time per call of the provider's verify(), one secret configured. */
  readonly verifyUs: number;
  readonly hmacUs: number;
  readonly ratio: number;
  /** The same during a secret rotation (current and previous configured: both are always tried). */
  readonly rotationVerifyUs: number;
  readonly rotationRatio: number;
}

let sink = 0;

function timeBatch(batch: number, call: () => void): number {
  const started = performance.now();
  for (let i = 0; i < batch; i++) call();
  return ((performance.now() - started) * 1000) / batch;
}

async function verify(args: VerifyArgs): Promise<Record<string, VerifyTiming[]>> {
  const random = seededRandom(args.seed);
  const secrets: WorkloadSecrets = { receiver: (provider: ProviderDefinition) => args.secrets[provider.slug] ?? '', baseline: 'unused' };
  const results: Record<string, VerifyTiming[]> = {};
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
      const calls = {
        verify: () => provider.verify(delivery, one),
        rotation: () => provider.verify(delivery, two),
        hmac: () => {
          sink ^= createHmac(algorithm, secret).update(body).digest()[0] ?? 0;
        },
      };
      const times: Record<keyof typeof calls, number[]> = { verify: [], rotation: [], hmac: [] };
      const names = Object.keys(calls) as (keyof typeof calls)[];
      for (let r = 0; r < args.rounds + 3; r++) {
        const order = names.map((name) => ({ name, key: random() })).sort((a, b) => a.key - b.key);
        for (const { name } of order) {
          const perCall = timeBatch(args.batch, calls[name]);
          if (r >= 3) times[name].push(perCall);
        }
      }
      const hmacUs = median(times.hmac);
      results[provider.slug]?.push({
        label: size.label,
        bodyBytes: body.length,
        algorithm: `hmac-${algorithm}`,
        verifyUs: round(median(times.verify), 3),
        hmacUs: round(hmacUs, 3),
        ratio: ratio(median(times.verify), hmacUs),
        rotationVerifyUs: round(median(times.rotation), 3),
        rotationRatio: ratio(median(times.rotation), hmacUs),
      });
    }
  }
  if (sink === 0.5) process.stderr.write('unreachable\n');
  return results;
}

serveBenchCommands({ verify }, async () => undefined);
