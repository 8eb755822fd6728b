/**
 * Benchmark sections that need a process of their own (the receivers with their logs going nowhere, the local
 * pipeline) run as children on the functions' Node.js, and take commands over IPC: `{ id, command, args }` in,
 * `{ id, result }` or `{ id, error }` out. The child's log lines (the product logs at INFO, as in production)
 * go to `.bench-build/logs/<name>.log` (stderr) and nowhere (stdout), not to the terminal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinary, repositoryRoot, scratchDirectory } from './paths.js';

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

export interface BenchChild {
  /** Runs a command in the child and resolves with its result. */
  request<T>(command: string, args?: unknown): Promise<T>;
  /** Asks the child to stop, and kills it if it does not within a few seconds. */
  stop(): Promise<void>;
  /** Where its log lines went. */
  readonly logFile: string;
}

/**
 * Starts `bench/<script>` (TypeScript, through tsx) as a child and waits for its `ready` message.
 *
 * @param name - for the log file
 * @param env - the child's whole environment
 */
export async function startBenchChild(name: string, script: string, env: Record<string, string>): Promise<BenchChild> {
  const logDirectory = join(scratchDirectory, 'logs');
  mkdirSync(logDirectory, { recursive: true });
  const logFile = join(logDirectory, `${name}.log`);
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(nodeBinary, ['--import', 'tsx', join(repositoryRoot, script)], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'ignore', log, 'ipc'],
  });
  closeSync(log);

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let exited: Error | undefined;
  const failAll = (error: Error) => {
    exited = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  child.on('exit', (code, signal) => failAll(new Error(`bench child ${name} exited (${String(signal ?? code)}); see ${logFile}`)));
  child.on('error', (error) => failAll(error));

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench child ${name} did not start; see ${logFile}`)), 60_000);
    child.on('message', (message: Reply | 'ready') => {
      if (message === 'ready') {
        clearTimeout(timer);
        resolve();
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(`bench child ${name}: ${message.error}`));
      else waiting.resolve(message.result);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(exited ?? new Error(`bench child ${name} exited; see ${logFile}`));
    });
  });
  await ready;

  return {
    logFile,
    request<T>(command: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(exited);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, command, args });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ id: 0, command: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: answers commands with the given functions; `stop` runs `onStop` and exits. Sends `ready`
 * once listening.
 */
export function serveBenchCommands(commands: Record<string, (args: never) => Promise<unknown>>, onStop: () => Promise<void>): void {
  process.on('message', (message: { id: number; command: string; args?: unknown }) => {
    if (message.command === 'stop') {
      void onStop().finally(() => process.exit(0));
      return;
    }
    const command = commands[message.command];
    if (!command) {
      process.send?.({ id: message.id, error: `unknown command ${message.command}` });
      return;
    }
    command(message.args as never).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
      },
    );
  });
  process.send?.('ready');
}
