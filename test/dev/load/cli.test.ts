/**
 * `npm run load` as a newcomer runs it: `--url` alone means the running npm start, a runtime that stops answering
 * is one line (no stack trace), and Ctrl+C stops sending and prints what was sent so far, exit 130.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { eventually, startTestRuntime, testEnvironment } from '../../support/local-runtime.js';

/** `npm run load` in a child process of its own (signals go to it), with its output as it comes. */
function load(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/cli/load.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = once(child, 'exit') as Promise<[number | null]>;
  return { child, exit, stdout: () => stdout, stderr: () => stderr };
}

describe('npm run load', () => {
  // Regression: the README's `--url` without a value failed with "argument missing".
  it('takes --url alone as the running npm start (SEND_URL)', { timeout: 60_000 }, async () => {
    // Prepare
    const runtime = await startTestRuntime();
    try {
      // Act
      const result = await runCli('load', ['--url', '--events', '12', '--concurrency', '3'], { ...testEnvironment(), SEND_URL: runtime.url }, 50_000);

      // Assess
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`against ${runtime.url}\n`);
      expect(result.stdout).toContain('PASS: every acknowledged delivery was processed exactly once, in order.');
      expect(result.code).toBe(0);
    } finally {
      await runtime.stop();
    }
  });

  it('refuses a log level it does not know in one line', async () => {
    // Act
    const result = await runCli('load', ['--log-level', 'LOUD']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('npm run load: --log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, not "LOUD"\n');
  });

  // Regression: a runtime that stopped during the run ended the load test with a stack trace.
  it('says in one line that the runtime stopped answering, after the summary of what was sent', { timeout: 60_000 }, async () => {
    // Prepare
    const runtime = await startTestRuntime();
    const started = load(['--url', runtime.url, '--events', '4000', '--concurrency', '1'], testEnvironment());

    // Act: npm start goes away while the deliveries are sent
    await eventually(() => started.stdout().includes('  sending '), 40_000);
    await runtime.stop();
    const [code] = await started.exit;

    // Assess
    expect(code).toBe(1);
    expect(started.stdout()).toMatch(/sent {14}4000 deliveries/);
    expect(started.stdout()).toContain('(not waited for)');
    expect(started.stderr()).toMatch(new RegExp(`^npm run load: nothing answers at ${runtime.url} any more \\(.+\\): did npm start stop\\?\\n$`));
  });

  it('stops sending on Ctrl+C, prints what was sent so far and exits 130', { timeout: 60_000 }, async () => {
    // Prepare: an in-process runtime, and more deliveries than it sends in the time
    const started = load(['--events', '4000', '--concurrency', '1']);
    await eventually(() => started.stdout().includes('  sending '), 40_000);

    // Act
    started.child.kill('SIGINT');
    const [code] = await started.exit;

    // Assess
    expect(code).toBe(130);
    const sent = Number(/sent {14}(\d+) of 4000 deliveries/.exec(started.stdout())?.[1]);
    expect(sent).toBeGreaterThanOrEqual(400);
    expect(sent).toBeLessThan(4000);
    expect(started.stdout()).toContain(`INTERRUPTED: stopped after ${String(sent)} of 4000 deliveries`);
    expect(started.stderr()).not.toMatch(/\n\s+at /);
  });
});
