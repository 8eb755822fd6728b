/** Running the CLIs of dev/cli as a person would, in a child process: exit code, output and how long it took. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execute = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds, for "said at once" rather than "after a timeout". */
  readonly ms: number;
}

/**
 * Runs `dev/cli/<script>.ts` with `args` and the environment plus `env` (JSON log lines, port 0 unless given).
 *
 * @example const result = await runCli('send', ['qikchat'], { SEND_URL: runtime.url });
 */
export async function runCli(script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}, timeoutMs = 40_000): Promise<CliResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await execute(tsx, [`dev/cli/${script}.ts`, ...args], { env: { ...process.env, LOG_FORMAT: 'json', PORT: '0', ...env }, timeout: timeoutMs });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, ms: performance.now() - started };
  }
}
