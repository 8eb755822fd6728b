/**
 * The whole pipeline on this machine; `npm start` runs it under dev/cli/watch.ts, which starts it again when a
 * `.ts` file under lib/ or dev/ changes. Settings come from the environment; see the README's configuration table.
 * A setting it cannot use stops it with one line saying what to fix. Queued events, dead letters and idempotency
 * records are kept in `.local/` across restarts; `--fresh` starts empty.
 */
import { parseArgs } from 'node:util';
import { localLogFormat } from '../local/log.js';
import { webhookPath } from '../../lib/events/webhook-path.js';
import { providers } from '../../lib/providers/registry.js';
import { SecretVariableError } from '../local/secrets.js';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.js';
import { LocalSettingError, localHost, localPort, localRetryPolicyFromEnv, localSqsEndpoint, localWorkerConcurrency } from '../local/settings.js';
import { toolCommand } from '../local/tool-command.js';
import { defaultStateDir } from '../local/state.js';
import { EmbeddedDynamoDbError } from '../fakes/dynamodb.js';
import type { DestinationInput } from '../../lib/destinations/settings.js';
import { destinationsFromFlags } from '../local/destination-flags.js';
import { DEVELOPMENT_DESTINATION_SECRET } from '../local/destination-secret.js';

const env = process.env;
const USAGE = [
  'usage: npm start [-- --fresh] [--destination <url>[=<providers>:<types>]]...',
  '  --fresh        forget the queued events, dead letters and idempotency records in .local/',
  '  --destination  also deliver events there, signed (repeatable); e.g. http://127.0.0.1:8080/hook or http://127.0.0.1:8080/hook=qikchat:message.*',
].join('\n');

let runtime: LocalRuntime;
let logFormat: ReturnType<typeof localLogFormat>;
let fresh: boolean;
let destinations: DestinationInput[];
try {
  const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false }, destination: { type: 'string', multiple: true, default: [] } } });
  fresh = values.fresh;
  destinations = destinationsFromFlags(values.destination);
} catch (error) {
  if (error instanceof LocalSettingError) {
    process.stderr.write(`npm start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`npm start: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(1);
}
try {
  logFormat = localLogFormat(env, process.stdout.isTTY);
  runtime = await startLocalRuntime({
    stateDir: env.LOCAL_STATE_DIR || defaultStateDir,
    fresh,
    port: localPort(env),
    host: localHost(env),
    sqsEndpoint: localSqsEndpoint(env),
    workerConcurrency: localWorkerConcurrency(env),
    retry: localRetryPolicyFromEnv(env),
    logFormat,
    destinations,
  });
} catch (error) {
  if (!(error instanceof SecretVariableError || error instanceof LocalSettingError || error instanceof EmbeddedDynamoDbError)) throw error;
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
}

/** The banner's lines of the destinations: where each goes and what, and the secret they sign with. */
function destinationLines({ destinations }: LocalRuntime): string[] {
  if (destinations.list.length === 0) return ['Destinations: none (npm start -- --destination http://127.0.0.1:8080/hook delivers events there, signed; npm run receive is a receiver)', ''];
  return [
    'Destinations (each attempt in the console and GET /_local/deliveries):',
    ...destinations.list.map((destination) => `  ${destination.name.padEnd(20)} ${destination.url}   ${destination.filter}`),
    destinations.developmentSecret
      ? `  signed with the DEVELOPMENT secret ${DEVELOPMENT_DESTINATION_SECRET} (DESTINATION_SECRET unset; public: never use it in production; npm run receive verifies it by default)`
      : '  signed with DESTINATION_SECRET',
    '',
  ];
}

const lines = [
  '',
  `chat-webhook-gateway is running locally at ${runtime.url}`,
  '',
  'Webhook URLs (POST):',
  ...providers.map((p) => `  ${p.slug.padEnd(20)} ${runtime.url}${webhookPath(p.slug)}${p.kinds.length ? `[/<${p.kinds.join('|')}>]` : ''}`),
  '',
  `SQS: ${env.SQS_ENDPOINT ? `${runtime.sqsEndpoint} (SQS_ENDPOINT)` : `embedded fauxqs at ${runtime.sqsEndpoint}`}`,
  `  queue: ${runtime.queues.queueUrl}`,
  `  DLQ:   ${runtime.queues.deadLetterQueueUrl}`,
  `Archive:  s3://${runtime.archive.bucket} on ${runtime.archive.s3Endpoint} (GET /_local/archive; npm run replay)`,
  `DynamoDB: embedded dynalite at ${runtime.dynamoDbEndpoint} (idempotency records)`,
  `State:    ${env.SQS_ENDPOINT ? 'idempotency records' : 'queued events, dead letters and idempotency records'}${runtime.stateDir ? ' and the archive' : ''} kept in ${runtime.stateDir ?? ''}${fresh ? ' (started fresh)' : ''}; npm start -- --fresh starts empty`,
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
  ...destinationLines(runtime),
  `Console:  ${runtime.url}/   (live deliveries and events, dead letters, a send form)`,
  `Try it:   ${toolCommand(runtime.url, 'npm run send -- qikchat')}          (in another terminal)`,
  `Inspect:  ${runtime.url}/_local/events   ${runtime.url}/_local/dead-letters   ${runtime.url}/_local/archive   ${runtime.url}/health`,
  // Set by dev/cli/watch.ts (npm start) to the folders it watches.
  `Reload:   ${
    env.LOCAL_RELOAD
      ? `on: a change to a .ts file under ${env.LOCAL_RELOAD} restarts it (your handlers: lib/handlers/registry.ts); what is queued is kept, the console's list starts anew`
      : 'off: after changing a handler (lib/handlers/registry.ts), stop and start again (npm start reloads by itself unless --no-watch)'
  }`,
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
