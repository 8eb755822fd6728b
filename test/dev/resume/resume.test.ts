/**
 * `npm run resume` against a running local runtime: conversations parked by a failing handler over real HTTP, the
 * embedded SQS and DynamoDB; the CLI run in-process (and once as a process, for its exit codes).
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeCommand } from '../../../dev/cli/resume.js';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import type { ResumeTargetDependencies } from '../../../dev/resume/target.js';
import { ArchiveLineSchema, type ArchiveLine } from '../../../lib/archive/format.js';
import type { WebhookEvent } from '../../../lib/events/schema.js';
import { listParked, type ParkedListing } from '../../../lib/parking/listing.js';
import { closedPort } from '../../support/faulty-sqs.js';
import { eventually, post, queueDepth, signed, startTestRuntime, type SignedRequest } from '../../support/local-runtime.js';

const execute = promisify(execFile);

/** A signed Qikchat text message from `from`, with its own message id. */
function qikchat(from: string, id: string): SignedRequest {
  const body = JSON.stringify({
    event: 'whatsapp:message:in',
    payload: { id, name: 'whatsapp', contacts: [{ profile: { name: 'Test' }, to: '+10000000000' }], message: { from, timestamp: '2026-12-07T00:00:00.000Z', text: { body: `text of ${id}` }, type: 'text' } },
  });
  return signed('qikchat', body);
}

/** The Qikchat message id an event was made of. */
const messageId = (event: WebhookEvent) => (event.data.raw as { payload: { id: string } }).payload.id;

/** Runs the CLI in-process; its exit code and output. */
async function resume(argv: string[], dependencies?: ResumeTargetDependencies): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => (stdout += text), stderr: (text: string) => (stderr += text), env: { PORT: '0' } };
  const code = await resumeCommand(argv, io, dependencies);
  return { code, stdout, stderr };
}

/** Each parked conversation: its three messages, the first failing. */
interface Conversation {
  readonly from: string;
  readonly requests: readonly SignedRequest[];
  /** The message group, as listed. */
  readonly group: string;
  /** Event ids, in order. */
  readonly ids: readonly string[];
}

describe('npm run resume', () => {
  let runtime: LocalRuntime;
  const handled: WebhookEvent[] = [];
  const failing = new Set<string>();
  const conversation = (name: string, from: string): Conversation => {
    const requests = [0, 1, 2].map((n) => qikchat(from, `${name}-${String(n)}`));
    return { from, requests, group: `qikchat:${from}`, ids: requests.map((request) => request.expected.id) };
  };
  const conversations = { A: conversation('A', '6285000000001'), B: conversation('B', '6285000000002'), C: conversation('C', '6285000000003') };
  const handledOf = (name: 'A' | 'B' | 'C') => handled.filter((event) => event.data.conversationId === conversations[name].from).map(messageId);
  const listing = () => listParked(runtime.parkStore);
  const standIns = (): ResumeTargetDependencies => ({ endpoints: { dynamodb: runtime.parkStoreLocation.endpoint, sqs: runtime.sqsEndpoint } });

  beforeAll(async () => {
    // Prepare: three conversations parked at their first event, each with two followers.
    for (const name of ['A', 'B', 'C'] as const) failing.add(`${name}-0`);
    runtime = await startTestRuntime({
      handlers: {
        'message.received': (event: WebhookEvent) => {
          if (failing.has(messageId(event))) throw new Error(`handler broken for ${messageId(event)}`);
          handled.push(event);
        },
      },
    });
    for (const index of [0, 1, 2]) {
      for (const { requests } of Object.values(conversations)) expect((await post(runtime, requests[index]!)).status).toBe(200);
    }
    await eventually(async () => {
      const parked = await listing();
      return parked.length === 3 && parked.every((entry) => entry.events.length === 3);
    }, 60_000);
  }, 90_000);
  afterAll(() => runtime.stop());

  it('parks the three conversations it is tested on', async () => {
    // Oldest parked first: the three park at about the same time, in any order.
    const parked = (await listing()).map((entry) => [entry.conversation, entry.events]);
    expect(parked).toHaveLength(3);
    expect(parked).toEqual(expect.arrayContaining(Object.values(conversations).map((c) => [c.group, c.ids])));
  });

  it('--list prints a table of the parked conversations, --json the listing', async () => {
    // Act
    const table = await resume(['--list', '--url', runtime.url]);
    const json = await resume(['--list', '--json', '--url', runtime.url]);

    // Assess
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`3 parked conversations (the local runtime at ${runtime.url}):`);
    expect(lines[1]).toMatch(/^CONVERSATION\s+PROVIDER\s+STATE\s+FAILING EVENT\s+ATTEMPTS\s+EVENTS\s+ERROR$/);
    const rows = lines.slice(2, 5).map((line) => line.split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual((await listing()).map((entry) => entry.conversation));
    for (const [name, parked] of Object.entries(conversations)) {
      expect(rows).toContainEqual([parked.group, 'qikchat', 'parked', parked.ids[0], '5', '3', `Error: handler broken for ${name}-0`]);
    }
    expect(lines.at(-1)).toBe('Resume one: npm run resume -- --conversation <conversation> [--skip <failing event>] [--dry-run]');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(await listing());
  });

  it('reads the park store and queue of AWS from --table and --queue-url, or from a stack\'s outputs', async () => {
    // Prepare
    const { tableName } = runtime.parkStoreLocation;
    const { queueUrl } = runtime.queues;
    const stacks: string[] = [];
    const readStackLocation = async (stack: string, region: string | undefined) => {
      stacks.push(`${stack} ${String(region)}`);
      return { region: 'eu-west-1', tableName, queueUrl };
    };

    // Act
    const named = await resume(['--list', '--json', '--table', tableName, '--queue-url', queueUrl], standIns());
    const stack = await resume(['--list', '--stack', 'Gateway', '--region', 'eu-west-1'], { ...standIns(), readStackLocation });

    // Assess
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout) as ParkedListing[]).toEqual(await listing());
    expect(stack).toMatchObject({ code: 0, stderr: '' });
    expect(stack.stdout).toContain(`3 parked conversations (stack Gateway (table ${tableName}, eu-west-1)):`);
    expect(stacks).toEqual(['Gateway eu-west-1']);
  });

  it('--dry-run prints what would run, in order, and changes nothing', async () => {
    // Prepare
    const before = await listing();
    const { A } = conversations;

    // Act: by the bare conversation id, once plain and once with --skip
    const plain = await resume(['--conversation', A.from, '--dry-run', '--url', runtime.url]);
    const skipping = await resume(['--conversation', A.group, '--skip', A.ids[0]!, '--dry-run', '--url', runtime.url]);
    await sleep(500);

    // Assess
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(plain.stdout.split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      [`Dry run: nothing changes. Resuming ${A.group} (the local runtime at ${runtime.url}) would, in order:`],
      ['1.', 'run', A.ids[0], 'message.received', expect.stringMatching(/^the failing event: 5 failed attempts, last: .*handler broken for A-0/)],
      ['2.', 'run', A.ids[1], 'message.received'],
      ['3.', 'run', A.ids[2], 'message.received'],
      [`and then reopen ${A.group}: its new events are handled as they come.`],
      [''],
    ]);
    expect(skipping.stdout).toMatch(new RegExp(`1\\.\\s+skip\\s+${A.ids[0]!}\\s+message\\.received\\s+the failing event: dropped, not handled; archived marked skipped\\n`));
    expect(await listing()).toEqual(before);
    expect(handledOf('A')).toEqual([]);
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
  });

  it('refuses a conversation that is not parked and a skip of another event than the failing one, in one line', async () => {
    // Prepare
    const before = await listing();
    const { B } = conversations;

    // Act
    const unknown = await resume(['--conversation', 'qikchat:6289999999999', '--url', runtime.url]);
    const wrongSkip = await resume(['--conversation', B.group, '--skip', B.ids[1]!, '--url', runtime.url]);

    // Assess
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: `npm run resume: Conversation qikchat:6289999999999 is not parked: PORT=${new URL(runtime.url).port} npm run resume -- --list shows the parked ones\n` });
    expect(wrongSkip).toEqual({
      code: 1,
      stdout: '',
      stderr: `npm run resume: Event ${B.ids[1]!} is not the failing event of ${B.group} (that is ${B.ids[0]!}): only the failing event can be skipped; without --skip every event runs\n`,
    });
    expect(await listing()).toEqual(before);
  });

  it('--conversation with a bare id resumes the one conversation that has it: every event handled, in order', { timeout: 60_000 }, async () => {
    // Prepare: the handler is fixed
    const { A } = conversations;
    failing.delete('A-0');

    // Act
    const result = await resume(['--conversation', A.from, '--url', runtime.url]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')).toEqual([
      `Resume asked for ${A.group} (the local runtime at ${runtime.url}): the worker runs its 3 parked events in order, the failing event ${A.ids[0]!} first, then reopens it.`,
      `Watch it: GET ${runtime.url}/_local/parked until ${A.group} is gone from it (or PORT=${new URL(runtime.url).port} npm run resume -- --list), or look for the worker's log line 'Parked conversation resumed'. An event that fails again parks the conversation again at it.`,
      '',
    ]);
    await eventually(async () => !(await listing()).some((entry) => entry.conversation === A.group), 30_000);
    expect(handledOf('A')).toEqual(['A-0', 'A-1', 'A-2']);
  });

  it('--skip drops the failing event (archived marked skipped) and handles its followers in order', { timeout: 60_000 }, async () => {
    // Prepare: B-0 still fails; it must not run
    const { B } = conversations;

    // Act
    const result = await resume(['--conversation', B.group, '--skip', B.ids[0]!, '--url', runtime.url]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      `Resume asked for ${B.group} (the local runtime at ${runtime.url}): the worker drops the failing event ${B.ids[0]!} (archived marked skipped), runs the 2 parked events after it in order, then reopens it.\n`,
    );
    await eventually(async () => !(await listing()).some((entry) => entry.conversation === B.group), 30_000);
    expect(handledOf('B')).toEqual(['B-1', 'B-2']);
    const skipped = (await archiveLines()).filter((line) => line.mark === 'skipped');
    expect(skipped.map((line) => line.id)).toEqual([B.ids[0]]);
  });

  it('resends the control message of a conversation already resuming (its message lost), here through --table and --queue-url', { timeout: 60_000 }, async () => {
    // Prepare: C marked resuming, its control message never sent
    const { C } = conversations;
    failing.delete('C-0');
    await runtime.parkStore.requestResume(C.group, 'a-lost-resume');
    const aws = ['--table', runtime.parkStoreLocation.tableName, '--queue-url', runtime.queues.queueUrl];

    // Act
    const otherSkip = await resume(['--conversation', C.group, '--skip', C.ids[0]!, ...aws], standIns());
    const result = await resume(['--conversation', C.group, ...aws], standIns());

    // Assess
    expect(otherSkip.code).toBe(1);
    expect(otherSkip.stderr).toMatch(/^npm run resume: Conversation qikchat:6285000000003 is already resuming without a skip: wait for it \(npm run resume -- --list --table .+\), or run this without --skip to send its control message again\n$/);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Conversation ${C.group} was already resuming \\(asked at \\d{4}-.+\\): its control message was sent again\\.\\n`));
    expect(result.stdout).toContain(`Watch it: npm run resume -- --list --table ${runtime.parkStoreLocation.tableName} --queue-url ${runtime.queues.queueUrl} until ${C.group} is gone`);
    await eventually(async () => (await listing()).length === 0, 30_000);
    expect(handledOf('C')).toEqual(['C-0', 'C-1', 'C-2']);
    const empty = await resume(['--list', '--url', runtime.url]);
    expect(empty.stdout).toBe(`No conversation is parked (the local runtime at ${runtime.url}).\n`);
  });

  /** Every line of the runtime's archive (what the Firehose stand-in still buffers written out first). */
  async function archiveLines(): Promise<ArchiveLine[]> {
    const { s3, bucket } = runtime.archive;
    await runtime.archive.flush();
    const lines: ArchiveLine[] = [];
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const object of Contents) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }))).Body?.transformToByteArray();
      if (!body) continue;
      for (const line of gunzipSync(body).toString('utf8').split('\n').filter(Boolean)) lines.push(ArchiveLineSchema.parse(JSON.parse(line)));
    }
    return lines;
  }
});

describe('npm run resume without a runtime', () => {
  it('says in one line that no local runtime answers, and how to start one', async () => {
    // Prepare
    const url = `http://127.0.0.1:${String(await closedPort())}`;

    // Act
    const result = await resume(['--list', '--url', url]);

    // Assess
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `npm run resume: No local runtime answers at ${url}: start it with npm start, or pass --url, or --stack (or --table and --queue-url) for AWS\n`,
    });
  });

  it.each([
    [[], 'say what to do: --conversation <conversation> resumes one, --list shows the parked ones'],
    [['--list', '--conversation', 'x'], '--list and --conversation do not go together: list, or resume one'],
    [['--conversation', ''], '--conversation needs a conversation, as --list shows it (qikchat:6281234) or its bare id (6281234)'],
    [['--conversation', 'x', '--json'], '--json goes with --list'],
    [['--list', '--skip', 'e'], '--skip and --dry-run go with --conversation'],
    [['--list', '--dry-run'], '--skip and --dry-run go with --conversation'],
    [['--list', '--table', 't'], '--table and --queue-url go together (AWS: the stack outputs ParkTableName and QueueUrl)'],
    [['--list', '--stack', 's', '--table', 't', '--queue-url', 'q'], '--stack reads the table and queue from the stack: give --stack, or --table and --queue-url, not both'],
    [['--list', '--url', 'http://127.0.0.1:3000', '--stack', 's'], '--url is the local runtime, --stack and --table are AWS: give one of them'],
    [['--list', '--region', 'eu-west-1'], '--region is for AWS, with --stack or --table and --queue-url'],
    [['--lsit'], "Unknown option '--lsit'"],
    [['--list', 'stray'], "Unexpected argument 'stray'. This command does not take positional arguments"],
  ])('%j: exits 2 with one line and the usage', async (argv, line) => {
    // Act
    const result = await resume(argv);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^npm run resume: .+\nUsage: npm run resume -- --list/);
    expect(result.stderr.split('\n')[0]).toBe(`npm run resume: ${line}`);
  });

  it('runs as npm run resume: exit 2 on a mistake, 1 with one line when nothing answers, never a stack trace', async () => {
    // Prepare
    const port = await closedPort();
    const cli = (args: string[]) =>
      execute(process.execPath, ['--import', 'tsx', 'dev/cli/resume.ts', ...args], { timeout: 30_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: unknown) => error as { code: number; stdout: string; stderr: string },
      );

    // Act
    const [mistake, unreachable, help] = await Promise.all([cli(['--conversaton', 'x']), cli(['--list', '--url', `http://127.0.0.1:${String(port)}`]), cli(['--help'])]);

    // Assess
    expect(mistake.code).toBe(2);
    expect(mistake.stderr).toMatch(/^npm run resume: Unknown option '--conversaton'.*\nUsage: npm run resume -- /);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`npm run resume: No local runtime answers at http://127.0.0.1:${String(port)}: start it with npm start, or pass --url, or --stack (or --table and --queue-url) for AWS\n`);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run resume -- --list/);
    for (const result of [mistake, unreachable]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
