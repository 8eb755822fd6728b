/**
 * `npm start`: the whole pipeline on this machine. Settings come from the environment; see the README's
 * configuration table. A setting it cannot use stops it with one line saying what to fix.
 */
import { localLogFormat } from '../local/log.js';
import { providers } from '../../lib/providers/registry.js';
import { SecretVariableError } from '../local/secrets.js';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.js';
import { LocalSettingError, localPort, localSqsEndpoint, localWorkerConcurrency, toolCommand } from '../local/settings.js';

const env = process.env;

let runtime: LocalRuntime;
let logFormat: ReturnType<typeof localLogFormat>;
try {
  logFormat = localLogFormat(env, process.stdout.isTTY);
  runtime = await startLocalRuntime({
    port: localPort(env),
    host: env.HOST ?? '127.0.0.1',
    sqsEndpoint: localSqsEndpoint(env),
    workerConcurrency: localWorkerConcurrency(env),
    logFormat,
  });
} catch (error) {
  if (!(error instanceof SecretVariableError || error instanceof LocalSettingError)) throw error;
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
}

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
  `Console:  ${runtime.url}/   (live deliveries and events, dead letters, a send form)`,
  `Try it:   ${toolCommand(runtime.url, 'npm run send -- qikchat')}          (in another terminal)`,
  `Inspect:  ${runtime.url}/_local/events   ${runtime.url}/_local/dead-letters   ${runtime.url}/health`,
  `Log:      ${logFormat === 'human' ? 'one line per delivery and processed event (LOG_FORMAT=json for JSON)' : 'JSON lines on stdout (LOG_FORMAT=human for one line per event)'}`,
  'Stop:     Ctrl+C',
  '',
];
// In JSON mode stdout carries only JSON lines: the banner goes to stderr.
(logFormat === 'human' ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nStopping...\n');
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
