/**
 * `npm start`: the whole pipeline on this machine. Settings come from the environment; see the README's
 * configuration table.
 */
import { providers } from '../providers/registry.js';
import { startLocalRuntime } from './runtime.js';
import { localPort } from './settings.js';

const env = process.env;
// The same structured log lines as in Lambda; in a terminal Powertools pretty-prints them for a person.
if (process.stdout.isTTY && env.POWERTOOLS_DEV === undefined) env.POWERTOOLS_DEV = 'true';
const runtime = await startLocalRuntime({
  port: localPort(env),
  host: env.HOST ?? '127.0.0.1',
  sqsEndpoint: env.SQS_ENDPOINT || undefined,
  workerConcurrency: env.WORKER_CONCURRENCY ? Number(env.WORKER_CONCURRENCY) : undefined,
});

const lines = [
  '',
  `chat-webhook-gateway is running locally at ${runtime.url}`,
  '',
  'Webhook URLs (POST):',
  ...providers.map((p) => `  ${p.slug.padEnd(20)} ${runtime.url}/webhooks/${p.slug}${p.kinds.length ? `[/<${p.kinds.join('|')}>]` : ''}`),
  '',
  `SQS: ${env.SQS_ENDPOINT ? `${runtime.sqsEndpoint} (SQS_ENDPOINT)` : `embedded fauxqs at ${runtime.sqsEndpoint}`}`,
  `  queue: ${runtime.queues.queueUrl}`,
  `  DLQ:   ${runtime.queues.deadLetterQueueUrl}`,
  '',
  'Secrets:',
  ...runtime.secretNotices.map((notice) =>
    [
      `  ${notice.provider.padEnd(20)} `,
      notice.developmentDefault !== undefined
        ? `${notice.variable} unset: using the DEVELOPMENT DEFAULT "${notice.developmentDefault}" (public; never use it in production)`
        : `from ${notice.variable}`,
      notice.verification === 'disabled' ? '  [SIGNATURE VERIFICATION DISABLED]' : '',
    ].join(''),
  ),
  '',
  'Try it:   npm run send -- qikchat          (in another terminal)',
  `Inspect:  ${runtime.url}/_local/events   ${runtime.url}/_local/dead-letters   ${runtime.url}/health`,
  'Stop:     Ctrl+C',
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping...\n');
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
