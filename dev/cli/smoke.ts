/**
 * `npm run smoke`: after a deploy, one signed sample per provider to the gateway's webhook URLs, with the real secret
 * values, and each event looked for in the archive (which the worker writes before any handler runs); a table of the
 * outcomes. See the README, "Smoke test".
 *
 *   npm run smoke -- --stack ChatWebhookGateway              AWS: the stack outputs <Provider>WebhookUrl, <Provider>SecretArn, ArchiveBucketName
 *   npm run smoke                                            the local runtime (npm start) at http://127.0.0.1:$PORT, its secrets
 *   npm run smoke -- --url https://hooks.example.com --secret qikchat=user:password --provider qikchat --bucket <ArchiveBucketName>
 *
 * Exits 0 when every provider passed, 1 when one failed (one line each says why), 2 on a command-line mistake.
 */
import { pathToFileURL } from 'node:url';
import { LocalSettingError, localUrl } from '../local/settings.js';
import { parseSmokeArguments, SMOKE_USAGE, type SmokeArguments } from '../smoke/arguments.js';
import { UsageError } from './arguments.js';
import { rootCause, SmokeError } from '../smoke/errors.js';
import { formatSummary, formatTable, rowPassed } from '../smoke/format.js';
import { runSmoke } from '../smoke/run.js';
import { runToken } from '../smoke/samples.js';
import { resolveSmokeTarget, type SmokeDependencies, type SmokeTarget } from '../smoke/target.js';

const COMMAND = 'npm run smoke';

/** How much earlier than the run the archive is read from: the worker's clock may be behind this machine's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Where the command writes, and the environment it reads (PORT, SEND_URL, AWS_REGION, npm start's secret variables). */
export interface SmokeCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

export interface SmokeCommandDependencies extends SmokeDependencies {
  /** How often to look in the archive. @default 2000 ms */
  readonly pollIntervalMs?: number;
}

async function run(args: SmokeArguments, io: SmokeCommandIo, dependencies: SmokeCommandDependencies): Promise<number> {
  const token = runToken();
  let target: SmokeTarget | undefined;
  try {
    target = await resolveSmokeTarget(
      {
        stack: args.stack,
        url: args.url ?? localUrl(io.env),
        bucket: args.bucket,
        region: args.region ?? (io.env.AWS_REGION || undefined),
        secrets: args.secrets,
        providers: args.providers,
        env: io.env,
        from: new Date(Date.now() - CLOCK_SKEW_MS),
      },
      dependencies,
    );
    const looking = target.archive
      ? `then looking for each event in the archive (${target.archive.where}) for up to ${String(args.waitSeconds)} s`
      : `not looking for the events: ${target.unchecked ?? 'no archive to read'}`;
    io.stdout(`Smoke test of ${target.where}, run ${token}\n`);
    io.stdout(`Sending one signed sample per provider; ${looking}.\n`);
    const report = await runSmoke(target, { token, waitSeconds: args.waitSeconds, pollIntervalMs: dependencies.pollIntervalMs ?? 2_000 });
    io.stdout(formatTable(report.rows, args.waitSeconds));
    const summary = formatSummary(report);
    io.stdout(summary.stdout);
    io.stderr(summary.stderr);
    return report.rows.every(rowPassed) ? 0 : 1;
  } catch (error) {
    if (error instanceof SmokeError || error instanceof LocalSettingError) {
      io.stderr(`${COMMAND}: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    const cause = rootCause(error);
    io.stderr(`${COMMAND}: ${message}${cause !== message ? ` (${cause})` : ''}\n`);
    return 1;
  } finally {
    target?.destroy();
  }
}

/**
 * Runs `npm run smoke` with `argv` (the arguments after `--`); resolves with the exit code.
 *
 * @example process.exit(await smokeCommand(['--stack', 'ChatWebhookGateway'], { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env }));
 */
export async function smokeCommand(argv: readonly string[], io: SmokeCommandIo, dependencies: SmokeCommandDependencies = {}): Promise<number> {
  let args: SmokeArguments;
  try {
    args = parseSmokeArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${COMMAND}: ${error.message}\n${SMOKE_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(SMOKE_USAGE);
    return 0;
  }
  return run(args, io, dependencies);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await smokeCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  });
  process.exit(code);
}
