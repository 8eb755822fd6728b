/**
 * `npm run load`: a burst of signed, mixed-provider webhooks against the local pipeline, checking that
 * every acknowledged delivery was processed exactly once and in order within its conversation.
 *
 *   npm run load                                       20,000 deliveries, 100 conversations at a time,
 *                                                      against a local runtime started in this process
 *   npm run load -- --events 5000 --concurrency 50
 *   npm run load -- --url http://127.0.0.1:3000        against a running `npm start` (its secrets from the
 *                                                      same environment variables, as `npm run send` does);
 *   npm run load -- --url                              the same at SEND_URL, else http://127.0.0.1:$PORT
 *
 * Exits 1 when anything acknowledged was lost, duplicated or reordered, or the runtime stopped answering; Ctrl+C
 * stops sending and prints what was sent so far, exit 130. Traffic goes only to the given URL; use it against
 * this machine.
 */
import { randomBytes } from 'node:crypto';
import { parseCommandLine, withOptionalValue } from './arguments.js';
import { devProvider } from '../providers.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.js';
import { LocalSettingError, localLogLevel, localSecret, localUrl } from '../local/settings.js';
import { formatLoadReport, loadTestPassed, runLoadTest } from '../load/run.js';
import { providers } from '../../lib/providers/registry.js';
import { SecretVariableError, secretVariables } from '../local/secrets.js';

const COMMAND = 'npm run load';
const USAGE = 'Usage: npm run load -- [--events 20000] [--concurrency 100] [--url [http://127.0.0.1:3000]] [--worker-concurrency 4] [--log-level ERROR]\n';
const { values } = parseCommandLine(COMMAND, {
  // `--url` alone: the running npm start (SEND_URL, else http://127.0.0.1:$PORT).
  args: withOptionalValue(process.argv.slice(2), 'url'),
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '100' },
    url: { type: 'string' },
    'worker-concurrency': { type: 'string' },
    'log-level': { type: 'string', default: 'ERROR' },
    help: { type: 'boolean', short: 'h', default: false },
  },
}, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    process.stderr.write(`--${name} must be a positive integer, not "${value}"\n`);
    process.exit(2);
  }
  return number;
}
const events = positive('events', values.events);
const concurrency = positive('concurrency', values.concurrency);

function settingError(error: unknown): never {
  if (!(error instanceof LocalSettingError || error instanceof SecretVariableError)) throw error;
  process.stderr.write(`${COMMAND}: ${error.message}\n`);
  process.exit(2);
}
let logLevel: string;
let url: string | undefined;
try {
  logLevel = localLogLevel(values['log-level'], '--log-level');
  url = values.url === '' ? localUrl() : values.url?.replace(/\/$/, '');
} catch (error) {
  settingError(error);
}

let runtime: LocalRuntime | undefined;
let secretFor = (provider: (typeof providers)[number]) => localSecret(provider);
if (!url) {
  // Fresh secrets for this run only: the in-process runtime and the sender share them.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const provider of providers) {
    const variables = secretVariables(devProvider(provider));
    env[variables.current] = provider.slug === 'qikchat' ? `load:${randomBytes(12).toString('hex')}` : randomBytes(24).toString('hex');
    env[variables.previous] = undefined;
  }
  secretFor = (provider) => localSecret(provider, env);
  runtime = await startLocalRuntime({
    port: 0,
    env,
    logLevel,
    ...(values['worker-concurrency'] ? { workerConcurrency: positive('worker-concurrency', values['worker-concurrency']) } : {}),
  });
  url = runtime.url;
}

if (!runtime) {
  try {
    for (const provider of providers) localSecret(provider);
  } catch (error) {
    settingError(error);
  }
  const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
  if (!healthy) {
    process.stderr.write(`Nothing answers at ${url}/health: start the pipeline first (npm start), or leave out --url\n`);
    process.exit(2);
  }
  // What the load test reads back: only the local runtime has it (not a deployed API).
  const listing = await fetch(`${url}/_local/events?limit=1`).then((response) => response.status, () => 0);
  if (listing !== 200) {
    process.stderr.write(`${url} is no local runtime (GET /_local/events answered ${String(listing)}): --url takes the address of npm start\n`);
    process.exit(2);
  }
}

const inProcess = runtime;
const target = url;
const processedIds = inProcess
  ? () => inProcess.events().map((event) => event.id)
  : async () => ((await (await fetch(`${target}/_local/events`)).json()) as WebhookEvent[]).map((event) => event.id);

// Ctrl+C: stop sending and waiting, then the summary of what was sent; a second Ctrl+C quits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write('\nStopping: no more deliveries; the summary of what was sent follows (Ctrl+C again quits at once)\n');
  interrupt.abort();
});

process.stdout.write(`Load test: ${events} signed deliveries of ${providers.map((p) => p.slug).join(', ')}, ${concurrency} conversations at a time, against ${url}${inProcess ? ' (in-process runtime)' : ''}\n`);
let shown = 0;
const report = await runLoadTest({
  url: target,
  signal: interrupt.signal,
  events,
  concurrency,
  providers,
  secretFor,
  processedIds,
  pollIntervalMs: inProcess ? 250 : 1_000,
  onProgress: (phase, done, total) => {
    const step = Math.max(1, Math.floor(total / 10));
    if (done === total || Math.floor(done / step) > shown) {
      shown = done === total ? 0 : Math.floor(done / step);
      process.stdout.write(`  ${phase} ${done}/${total}\n`);
    }
  },
});
await runtime?.stop();
process.stdout.write(`\n${formatLoadReport(report)}\n`);
if (report.unreachable !== undefined) {
  process.stderr.write(`${COMMAND}: nothing answers at ${target} any more (${report.unreachable}): did npm start stop?\n`);
  process.exit(1);
}
if (report.interrupted) {
  process.stdout.write(`\nINTERRUPTED: stopped after ${report.sent} of ${report.planned} deliveries; the worker was not waited for, so nothing is judged.\n`);
  process.exit(130);
}
const passed = loadTestPassed(report);
process.stdout.write(passed ? '\nPASS: every acknowledged delivery was processed exactly once, in order.\n' : '\nFAIL: see lost / duplicated / out of order above.\n');
process.exit(passed ? 0 : 1);
