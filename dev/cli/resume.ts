/**
 * `npm run resume`: lists the parked conversations, and resumes one: the worker runs its parked events in order (the
 * failing event first, or drops it with --skip) and reopens it. See the README, "Parked conversations".
 *
 *   npm run resume -- --list [--json]                                 the local runtime (npm start) at http://127.0.0.1:$PORT
 *   npm run resume -- --conversation qikchat:6281234 --dry-run        what would run, in order; changes nothing
 *   npm run resume -- --conversation 6281234 --skip <failing event>   a bare conversation id, when only one has it
 *   npm run resume -- --stack <name> --list                           AWS: the stack's outputs ParkTableName and QueueUrl
 *   npm run resume -- --table <ParkTableName> --queue-url <QueueUrl> --conversation <id>   AWS, named directly
 *
 * Exits 0 when done, 1 with one line naming the fix when refused or unreachable, 2 on a command-line mistake.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { listParked } from '../../lib/parking/listing.js';
import { ParkStoreError, ResumeRefusedError, type ParkedConversation } from '../../lib/parking/park-store.js';
import { resumeConversation } from '../../lib/parking/resume.js';
import { LocalSettingError, localUrl } from '../local/settings.js';
import { toolCommand } from '../local/tool-command.js';
import { parseArguments, UsageError } from './arguments.js';
import { findConversation } from '../resume/choose.js';
import { ResumeCommandError } from '../resume/errors.js';
import { formatListing, formatPlan } from '../resume/format.js';
import { resolveResumeTarget, type ResumeTarget, type ResumeTargetDependencies } from '../resume/target.js';

const COMMAND = 'npm run resume';
const USAGE = [
  'Usage: npm run resume -- --list [--json] [target]',
  '       npm run resume -- --conversation <conversation> [--skip <failing event id>] [--dry-run] [target]',
  'target: [--url <local runtime>]                      the local runtime (npm start), by default',
  '        --stack <name> [--region <region>]           AWS: the stack outputs ParkTableName and QueueUrl',
  '        --table <ParkTableName> --queue-url <QueueUrl> [--region <region>]',
  '',
].join('\n');

const OPTIONS = {
  list: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  conversation: { type: 'string' },
  skip: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  url: { type: 'string' },
  stack: { type: 'string' },
  table: { type: 'string' },
  'queue-url': { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** Where the command writes, and the environment it reads (PORT, SEND_URL, AWS_REGION). */
export interface ResumeCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

function parse(argv: readonly string[]): Values {
  const { values } = parseArguments({ args: [...argv], options: OPTIONS, strict: true });
  if (values.help) return values;
  const aws = values.stack !== undefined || values.table !== undefined || values['queue-url'] !== undefined;
  const mistake =
    (values.list && values.conversation !== undefined && '--list and --conversation do not go together: list, or resume one') ||
    (!values.list && values.conversation === undefined && 'say what to do: --conversation <conversation> resumes one, --list shows the parked ones') ||
    (values.conversation === '' && '--conversation needs a conversation, as --list shows it (qikchat:6281234) or its bare id (6281234)') ||
    (values.skip === '' && '--skip needs the id of the failing event, as --list shows it') ||
    (values.json && !values.list && '--json goes with --list') ||
    ((values.skip !== undefined || values['dry-run']) && values.conversation === undefined && '--skip and --dry-run go with --conversation') ||
    ((values.table === undefined) !== (values['queue-url'] === undefined) && '--table and --queue-url go together (AWS: the stack outputs ParkTableName and QueueUrl)') ||
    (values.stack !== undefined && values.table !== undefined && '--stack reads the table and queue from the stack: give --stack, or --table and --queue-url, not both') ||
    (values.url !== undefined && aws && '--url is the local runtime, --stack and --table are AWS: give one of them') ||
    (values.region !== undefined && !aws && '--region is for AWS, with --stack or --table and --queue-url');
  if (mistake) throw new UsageError(mistake);
  return values;
}

/** The deepest cause of an error, as `Name: message` on one line. */
function rootCause(error: unknown): string {
  let cause = error;
  while (cause instanceof Error && cause.cause !== undefined) cause = cause.cause;
  const text = cause instanceof Error ? (cause.name && cause.name !== 'Error' ? `${cause.name}: ${cause.message}` : cause.message) : String(cause);
  return text.replace(/\s+/g, ' ').trim();
}

/** The command that lists the same target's parked conversations again. */
function listCommand(values: Values, url: string): string {
  if (values.stack !== undefined || values.table !== undefined) {
    const where = values.stack !== undefined ? `--stack ${values.stack}` : `--table ${values.table ?? ''} --queue-url ${values['queue-url'] ?? ''}`;
    return `npm run resume -- --list ${where}${values.region !== undefined ? ` --region ${values.region}` : ''}`;
  }
  return toolCommand(url, 'npm run resume -- --list');
}

async function list(target: ResumeTarget, values: Values, io: ResumeCommandIo): Promise<void> {
  const listing = await listParked(target.store);
  if (values.json) {
    io.stdout(`${JSON.stringify(listing, null, 2)}\n`);
    return;
  }
  if (listing.length === 0) {
    io.stdout(`No conversation is parked (${target.where}).\n`);
    return;
  }
  const count = listing.length === 1 ? '1 parked conversation' : `${String(listing.length)} parked conversations`;
  io.stdout(`${count} (${target.where}):\n${formatListing(listing)}`);
  io.stdout('Resume one: npm run resume -- --conversation <conversation> [--skip <failing event>] [--dry-run]\n');
}

/** One line saying what the worker is asked to do, in order. */
function describeResume(conversation: ParkedConversation, count: number, skip: string | undefined): string {
  const events = count === 1 ? '1 parked event' : `${String(count)} parked events`;
  if (skip === undefined) return `the worker runs its ${events} in order, the failing event ${conversation.failingEventId} first, then reopens it`;
  const dropped = `the worker drops the failing event ${skip} (archived marked skipped)`;
  if (count <= 1) return `${dropped}, then reopens it`;
  const rest = count - 1 === 1 ? 'the 1 parked event' : `the ${String(count - 1)} parked events`;
  return `${dropped}, runs ${rest} after it in order, then reopens it`;
}

async function resume(target: ResumeTarget, values: Values, url: string, io: ResumeCommandIo): Promise<void> {
  const given = values.conversation ?? '';
  const conversation = await findConversation(target.store, given, listCommand(values, url));
  const name = conversation.conversation;
  const pending = conversation.resume;
  const skip = values.skip ?? (conversation.state === 'resuming' ? pending?.skip : undefined);
  if (values.skip !== undefined && values.skip !== conversation.failingEventId) {
    throw new ResumeCommandError(
      `Event ${values.skip} is not the failing event of ${name} (that is ${conversation.failingEventId}): only the failing event can be skipped; without --skip every event runs`,
    );
  }
  if (conversation.state === 'resuming' && values.skip !== undefined && values.skip !== pending?.skip) {
    throw new ResumeCommandError(
      `Conversation ${name} is already resuming without a skip: wait for it (${listCommand(values, url)}), or run this without --skip to send its control message again`,
    );
  }
  const events = await target.store.events(name);

  if (values['dry-run']) {
    io.stdout(`Dry run: nothing changes. Resuming ${name} (${target.where}) would, in order:\n`);
    io.stdout(formatPlan(conversation, events, skip));
    io.stdout(`and then reopen ${name}: its new events are handled as they come.\n`);
    if (conversation.state === 'resuming') {
      io.stdout(`It is already resuming (asked at ${pending?.requestedAt ?? 'an unknown time'}): a resume now sends its control message again.\n`);
    }
    return;
  }

  try {
    await resumeConversation(target.store, target.queue, { conversation: name, skip: values.skip });
  } catch (error) {
    if (error instanceof ResumeRefusedError || error instanceof ParkStoreError) throw error;
    throw new ResumeCommandError(`${name} is marked resuming, but its control message was not sent (${rootCause(error)}): run the same command again to send it`, {
      cause: error,
    });
  }
  if (conversation.state === 'resuming') {
    const skipping = pending?.skip ? `, skipping ${pending.skip}` : '';
    io.stdout(`Conversation ${name} was already resuming (asked at ${pending?.requestedAt ?? 'an unknown time'}${skipping}): its control message was sent again.\n`);
  } else {
    io.stdout(`Resume asked for ${name} (${target.where}): ${describeResume(conversation, events.length, skip)}.\n`);
  }
  const watch = target.kind === 'local' ? `GET ${url}/_local/parked until ${name} is gone from it (or ${listCommand(values, url)})` : `${listCommand(values, url)} until ${name} is gone`;
  io.stdout(`Watch it: ${watch}, or look for the worker's log line 'Parked conversation resumed'. An event that fails again parks the conversation again at it.\n`);
}

/**
 * Runs `npm run resume` with `argv` (the arguments after `--`); resolves with the exit code.
 *
 * @example process.exit(await resumeCommand(['--list'], { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env }));
 */
export async function resumeCommand(argv: readonly string[], io: ResumeCommandIo, dependencies: ResumeTargetDependencies = {}): Promise<number> {
  let values: Values;
  try {
    values = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${COMMAND}: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }

  let target: ResumeTarget | undefined;
  let url = '';
  try {
    url = (values.url ?? localUrl(io.env)).replace(/\/$/, '');
    const region = values.region ?? (io.env.AWS_REGION || undefined);
    target = await resolveResumeTarget({ url, stack: values.stack, tableName: values.table, queueUrl: values['queue-url'], region }, dependencies);
    if (values.list) await list(target, values, io);
    else await resume(target, values, url, io);
    return 0;
  } catch (error) {
    if (error instanceof ResumeCommandError || error instanceof ResumeRefusedError || error instanceof LocalSettingError) {
      io.stderr(`${COMMAND}: ${error.message}\n`);
      return 1;
    }
    const hint =
      target?.kind === 'aws'
        ? 'check the table name, the queue URL, the region (AWS_REGION or --region) and your AWS credentials'
        : `is npm start still running at ${url}?`;
    const message = error instanceof Error ? error.message : String(error);
    const cause = rootCause(error);
    io.stderr(`${COMMAND}: ${message}${cause !== message ? ` (${cause})` : ''}: ${hint}\n`);
    return 1;
  } finally {
    target?.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await resumeCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  });
  process.exit(code);
}
