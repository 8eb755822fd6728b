/**
 * Child process: the whole local pipeline (`npm start`'s runtime: HTTP server, receivers, embedded SQS,
 * worker poller) for the end-to-end run, logging at INFO as in production. `bench/run.ts` sends the load from
 * its own process and asks this one which events the worker has processed.
 *
 * Started with BENCH_PIPELINE = {"secrets": {"<slug>": "..."}}.
 */
import { startLocalRuntime } from '../../dev/local/runtime.js';
import { providers } from '../../lib/providers/registry.js';
import { devProvider } from '../../dev/providers.js';
import { serveBenchCommands } from '../lib/child.js';

const { secrets } = JSON.parse(process.env.BENCH_PIPELINE ?? '{}') as { secrets: Record<string, string> };
const env: NodeJS.ProcessEnv = { ...process.env };
for (const provider of providers) env[devProvider(provider).secretEnv] = secrets[provider.slug];

const runtime = await startLocalRuntime({ port: 0, env, logLevel: 'INFO' });

serveBenchCommands(
  {
    url: async () => runtime.url,
    /** How many events the worker has processed so far. */
    processedCount: async () => runtime.events().length,
    /** The ids of every event the worker processed, in order, repeats included. */
    processedIds: async () => runtime.events().map((event) => event.id),
  },
  () => runtime.stop(),
);
