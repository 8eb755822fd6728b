/**
 * Runs a program again whenever a watched source file changes: how `npm start` picks up a changed handler. The
 * local runtime keeps its queues, dead letters, idempotency records and archive in `.local/`, so a restart loses
 * nothing queued; only what it holds in memory (the console's list, `GET /_local/events`) starts anew.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { once } from 'node:events';
import { join, relative } from 'node:path';

export interface ReloadOptions {
  /** The program, run with `args` on start and after each change. */
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Folders watched, with everything under them. */
  readonly folders: readonly string[];
  /** Which changed files (relative to their folder) restart the program. @default a `.ts` file */
  readonly matches?: (file: string) => boolean;
  /** Changes this close together make one restart (an editor writes a file in steps). @default 250 */
  readonly settleMs?: number;
  /** How long a stopping run may take before it is killed. @default 15000 */
  readonly stopTimeoutMs?: number;
  /** Where the reloader's own lines go. @default stderr */
  readonly say?: (line: string) => void;
}

export interface Reloader {
  /**
   * Resolves with the exit code once supervising is over: when the first run ends before any change (a setting it
   * cannot use: the code it exited with), or after {@link Reloader.stop}. A run that ends after a change (a handler
   * that does not compile) is started again by the next change instead.
   */
  readonly done: Promise<number>;
  /** Stops watching, passes `signal` to the running program, and resolves with its exit code once it ended. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

const exitCode = (code: number | null, signal: NodeJS.Signals | null): number => code ?? (signal === 'SIGINT' ? 130 : 1);

/**
 * Starts `command` and restarts it on every change of a matching file under `folders`.
 *
 * @example const reloader = superviseWithReload({ command: process.execPath, args: ['server.js'], folders: ['lib'] });
 */
export function superviseWithReload(options: ReloadOptions): Reloader {
  const say = options.say ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const matches = options.matches ?? ((file: string) => file.endsWith('.ts'));
  let child: ChildProcess | undefined;
  let exited: Promise<number> | undefined;
  // Set once a change restarted the program: from then on, a run that ends waits for the next change.
  let changed = false;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  function start(): void {
    const run = spawn(options.command, [...options.args], { stdio: 'inherit', env: options.env ?? process.env });
    child = run;
    exited = once(run, 'exit').then(([code, signal]) => exitCode(code as number | null, signal as NodeJS.Signals | null));
    void exited.then((code) => {
      if (child !== run) return;
      child = undefined;
      if (stopping || restarting) return;
      if (!changed) {
        stopWatching();
        finish(code);
      } else {
        say(`npm start: the runtime stopped (exit ${String(code)}); it starts again on the next change (Ctrl+C quits)`);
      }
    });
  }

  /** Ends the running program, if any: `signal`, then SIGKILL after the timeout. */
  async function end(signal: NodeJS.Signals): Promise<number | undefined> {
    const run = child;
    const ending = exited;
    if (!run || !ending) return undefined;
    run.kill(signal);
    const killer = setTimeout(() => run.kill('SIGKILL'), options.stopTimeoutMs ?? 15_000);
    const code = await ending;
    clearTimeout(killer);
    return code;
  }

  function restart(file: string): void {
    if (stopping) return;
    if (restarting) {
      pending = file;
      return;
    }
    changed = true;
    say(`\nnpm start: ${file} changed: restarting (what is queued stays in the state folder)…`);
    restarting = end('SIGTERM').then(() => {
      restarting = undefined;
      if (stopping) return;
      start();
      if (pending !== undefined) {
        const next = pending;
        pending = undefined;
        restart(next);
      }
    });
  }

  const watchers: FSWatcher[] = options.folders.map((folder) =>
    watch(folder, { recursive: true }, (_event, name) => {
      const file = name?.toString();
      if (file === undefined || !matches(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => restart(relative(process.cwd(), join(folder, file))), options.settleMs ?? 250);
    }),
  );
  function stopWatching(): void {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  }

  start();
  return {
    done,
    async stop(signal = 'SIGTERM') {
      if (!stopping) {
        stopping = true;
        stopWatching();
        await restarting;
        finish((await end(signal)) ?? 0);
      }
      return done;
    },
  };
}
