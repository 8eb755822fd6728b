/**
 * What a newcomer's common mistakes print: one line naming the variable or option and the fix (and the usage for
 * a command line), never a stack trace; and `npm run send -- <provider> --file` sending an own payload, signed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { testEnvironment, startTestRuntime } from '../../support/local-runtime.js';

const execute = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

/**
 * Runs a CLI of dev/cli with extra environment; its exit code and output. Each `npm start` gets a state folder of
 * its own: run side by side on the repository's `.local/`, the embedded DynamoDB servers lock each other out.
 */
async function cli(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const state = script === 'start' ? { LOCAL_STATE_DIR: await mkdtemp(join(tmpdir(), 'terminal-start-')) } : {};
  try {
    const { stdout, stderr } = await execute(tsx, [`dev/cli/${script}.ts`, ...args], { env: { ...process.env, LOG_FORMAT: 'json', PORT: '0', ...state, ...env }, timeout: 25_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  } finally {
    if (state.LOCAL_STATE_DIR !== undefined) await rm(state.LOCAL_STATE_DIR, { recursive: true, force: true });
  }
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe.concurrent('npm start refuses what it cannot use, in one line', () => {
  it.each([
    [{ SQS_ENDPOINT: 'localhost:4149' }, 'npm start: SQS_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4149, not "localhost:4149"'],
    [{ SQS_ENDPOINT: 'http://127.0.0.1:1' }, 'npm start: SQS_ENDPOINT http://127.0.0.1:1 cannot be reached (connect ECONNREFUSED 127.0.0.1:1): start that SQS server, or unset SQS_ENDPOINT to use the embedded one'],
    [{ QIKCHAT_BASIC_AUTH: 'no-colon' }, 'npm start: QIKCHAT_BASIC_AUTH must be user:password (a user, a colon, a password), or unset'],
    [{ CHATZURI_SECRET_KEY: '  ' }, 'npm start: CHATZURI_SECRET_KEY is set but blank: it must be the Chatzuri webhook secret key, or unset'],
    [{ WORKER_CONCURRENCY: 'many' }, 'npm start: WORKER_CONCURRENCY must be a positive integer, not "many"'],
    [{ PORT: 'http' }, 'npm start: PORT must be a port number, not "http"'],
    // Taken silently before: verification stayed on while the README's reader believed it off.
    [{ QIKCHAT_SIGNATURE_VERIFICATION: 'off' }, 'npm start: QIKCHAT_SIGNATURE_VERIFICATION must be "enforced" or "disabled" (to accept unsigned deliveries), not "off"'],
    // Taken silently before: Powertools logs at INFO for a level it does not know.
    [{ POWERTOOLS_LOG_LEVEL: 'LOUD' }, 'npm start: POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, not "LOUD"'],
    // A stack trace before (getaddrinfo ENOTFOUND); and an address of no interface here (EADDRNOTAVAIL; nothing is sent).
    [{ HOST: '999.1.1.1' }, 'npm start: HOST must be a loopback address, 127.0.0.1 (the default), ::1 or localhost: the local runtime is not for the network; not "999.1.1.1"'],
    [{ HOST: '0.0.0.0' }, 'npm start: HOST must be a loopback address, 127.0.0.1 (the default), ::1 or localhost: the local runtime is not for the network; not "0.0.0.0"'],
  ])('%o', async (env, line) => {
    const result = await cli('start', [], env);
    expect(result).toMatchObject({ code: 1, stderr: `${line}\n` });
  });

  it('a port in use', async () => {
    // Prepare
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;

    // Act
    const result = await cli('start', [], { PORT: String(port) });
    busy.close();

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`npm start: port ${String(port)} is in use: stop what uses it (another npm start?), or choose another port, e.g. PORT=${String(port + 1)} npm start\n`);
  });
});

describe.concurrent('command-line mistakes print the usage', () => {
  it.each([
    ['load', ['--bogus'], "npm run load: Unknown option '--bogus'"],
    ['redrive', ['--dlq'], "npm run redrive: Unknown option '--dlq'"],
    ['send', ['qikchatt'], 'npm run send: unknown provider "qikchatt"'],
    ['send', [], 'npm run send: which provider?'],
  ])('%s %o', async (script, args, line) => {
    const result = await cli(script, args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(line);
    expect(result.stderr).toContain(`Usage: npm run ${script}`);
    noStack(result.stderr);
  });
});

describe('npm run send -- <provider> --file', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  it('sends an own payload signed with the local secret, and it is processed', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'send-file-'));
    const file = join(folder, 'payload.json');
    await writeFile(file, '{"event":"conversation.started","data":{"conversationId":"from-a-file"}}');

    // Act
    const result = await cli('send', ['chatzuri', '--file', file], { ...testEnvironment(), SEND_URL: runtime.url });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('← 200 {"status":"accepted"}');
    expect(result.stdout).toContain('✓ processed by the worker');
    expect(runtime.events().map((event) => event.data.conversationId)).toContain('from-a-file');
  });
});
