/**
 * `npm run receive`: a reference receiver for the gateway's HTTPS destinations, on 127.0.0.1. It verifies each
 * request's Standard Webhooks signature, prints one line per event, dedupes on webhook-id, notices events out of
 * order per conversation, and fails a share of the requests on purpose. See docs/local-development.md, "Destinations".
 *
 *   npm run receive                                    http://127.0.0.1:8080/hook, the development secret
 *   npm run receive -- --port 8080 --path /hook --secret whsec_… --fail-rate 0.3 --status 503
 *
 * The secret: --secret, else DESTINATION_SECRET (and DESTINATION_SECRET_PREVIOUS), else the development secret that
 * `npm start` signs with when DESTINATION_SECRET is unset. Exits 2 on a command-line mistake, 1 when it cannot start.
 */
import { pathToFileURL } from 'node:url';
import { DESTINATION_SECRET_NEEDS, isDestinationSecret, localDestinationSecrets } from '../local/destination-secret.js';
import { SecretVariableError } from '../local/secrets.js';
import { startReferenceReceiver, type ReferenceReceiver, type ReferenceReceiverOptions } from '../receive/receiver.js';
import { parseArguments, UsageError } from './arguments.js';

const COMMAND = 'npm run receive';
const USAGE = [
  'Usage: npm run receive -- [--port 8080] [--path /hook] [--secret whsec_…] [--fail-rate 0.3] [--status 503]',
  '  --port       the port on 127.0.0.1 (default 8080)',
  '  --path       the path deliveries are POSTed to (default /hook)',
  '  --secret     the whsec_ secret to verify with (default DESTINATION_SECRET, else the development secret of npm start)',
  '  --fail-rate  the share of verified requests to fail on purpose, 0 to 1 (default 0)',
  '  --status     what a request failed on purpose is answered (default 503; 5xx, 408, 429 are retried, any other 4xx parks the conversation)',
  '',
].join('\n');

const OPTIONS = {
  port: { type: 'string', default: '8080' },
  path: { type: 'string', default: '/hook' },
  secret: { type: 'string' },
  'fail-rate': { type: 'string', default: '0' },
  status: { type: 'string', default: '503' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Where the command writes, and the environment it reads (DESTINATION_SECRET). */
export interface ReceiveCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

type ReceiveSettings = Omit<ReferenceReceiverOptions, 'write' | 'random'> & { readonly secretSource: string };

function integer(value: string, name: string, low: number, high: number, what: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= low && number <= high)) throw new UsageError(`--${name} must be ${what}, not "${value}"`);
  return number;
}

/**
 * The receiver's settings from the command line and the environment.
 *
 * @throws UsageError on a command-line mistake; SecretVariableError when DESTINATION_SECRET is set but unusable
 */
function settings(argv: readonly string[], env: NodeJS.ProcessEnv): ReceiveSettings | 'help' {
  const { values } = parseArguments({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) return 'help';
  const port = integer(values.port, 'port', 0, 65535, 'a port number (0 picks a free one)');
  const failStatus = integer(values.status, 'status', 300, 599, 'a status that is no success, 300 to 599');
  const failRate = /^(0|1|0?\.\d+|1\.0*)$/.test(values['fail-rate']) ? Number(values['fail-rate']) : Number.NaN;
  if (Number.isNaN(failRate)) throw new UsageError(`--fail-rate must be a share from 0 to 1 (0.3 fails about 3 requests in 10), not "${values['fail-rate']}"`);
  if (!values.path.startsWith('/')) throw new UsageError(`--path must start with /, as in /hook, not "${values.path}"`);
  if (values.secret !== undefined) {
    // Never echoed: it may be a real secret.
    if (!isDestinationSecret(values.secret)) throw new UsageError(`--secret must be ${DESTINATION_SECRET_NEEDS}`);
    return { port, path: values.path, failRate, failStatus, secrets: [values.secret], secretSource: 'the secret of --secret' };
  }
  const read = localDestinationSecrets(env);
  const secretSource = read.developmentDefault
    ? `the DEVELOPMENT secret ${read.secrets[0] ?? ''} (public; npm start signs with it while DESTINATION_SECRET is unset; never use it in production)`
    : `DESTINATION_SECRET${read.secrets.length > 1 ? ' and DESTINATION_SECRET_PREVIOUS' : ''}`;
  return { port, path: values.path, failRate, failStatus, secrets: read.secrets, secretSource };
}

function banner(receiver: ReferenceReceiver, settings: ReceiveSettings): string {
  const failing =
    (settings.failRate ?? 0) > 0
      ? `${String(Math.round((settings.failRate ?? 0) * 100))}% of verified requests are answered ${String(settings.failStatus)} on purpose`
      : 'none on purpose (--fail-rate 0.3 fails about 3 in 10, --status 503 by default)';
  return [
    '',
    `Reference receiver at ${receiver.url}`,
    `  npm start -- --destination ${receiver.url}   (in another terminal)`,
    '',
    `Verifying: Standard Webhooks signatures with ${settings.secretSource}; a bad one is answered 401`,
    `Failing:   ${failing}`,
    'Dedupe:    on webhook-id: a repeat is answered 204 again and printed DUPLICATE',
    'Order:     per conversation: an event that overtakes one answered 5xx, 408 or 429 is printed OUT OF ORDER',
    'Stop:      Ctrl+C',
    '',
    'time          webhook-id  type  provider  conversation  verified → answer',
    '',
  ].join('\n');
}

/**
 * Runs `npm run receive` with `argv` (the arguments after `--`): the running receiver, or the exit code when it did
 * not start (2: a command-line mistake, 1: a setting or the port; 0 after --help).
 *
 * @example const started = await receiveCommand(['--port', '0'], { stdout, stderr, env: {} });
 */
export async function receiveCommand(argv: readonly string[], io: ReceiveCommandIo, random?: () => number): Promise<ReferenceReceiver | number> {
  let chosen: ReceiveSettings | 'help';
  try {
    chosen = settings(argv, io.env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${COMMAND}: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof SecretVariableError) {
      io.stderr(`${COMMAND}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (chosen === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let receiver: ReferenceReceiver;
  try {
    receiver = await startReferenceReceiver({ ...chosen, write: (line) => io.stdout(`${line}\n`), ...(random ? { random } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    const port = String(chosen.port);
    io.stderr(`${COMMAND}: port ${port} ${code === 'EADDRINUSE' ? 'is in use' : 'is not allowed'}: stop what uses it, or choose another, e.g. ${COMMAND} -- --port ${String(chosen.port + 1)}\n`);
    return 1;
  }
  io.stdout(banner(receiver, chosen));
  return receiver;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = await receiveCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  });
  if (typeof started === 'number') process.exit(started);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void started.stop().then(() => process.exit(0));
    });
  }
}
