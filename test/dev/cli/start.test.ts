import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/local-runtime.js';

describe('npm start options', () => {
  it('refuses an unknown option with one line and the usage, naming --fresh, without starting anything', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'dev/cli/start.ts', '--frehs'], { encoding: 'utf8', env: { ...process.env, PORT: '0' } });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^npm start: Unknown option '--frehs'/);
    expect(result.stderr).toContain('usage: npm start [-- --fresh]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});

/** `npm start` as package.json runs it (dev/cli/watch.ts), with a state folder of its own; the banner goes to stderr (JSON log). */
function npmStart(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/cli/watch.ts', ...args], { env: { ...process.env, PORT: '0', LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = once(child, 'exit') as Promise<[number | null]>;
  return { child, exit, stderr: () => stderr, banners: () => stderr.split('running locally at').length - 1 };
}

describe('npm start reloads a changed handler', () => {
  it('is what package.json runs', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe('tsx dev/cli/watch.ts');
  });

  it('says so in its banner, and starts the runtime again when a .ts file under dev/ changes', { timeout: 90_000 }, async () => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), 'start-watch-'));
    const started = npmStart([], { LOCAL_STATE_DIR: stateDir });
    try {
      await eventually(() => started.banners() === 1, 30_000);

      // Act: a change as an editor's save makes it (the time only: the file stays as it is)
      const now = new Date();
      utimesSync('dev/local/tool-command.ts', now, now);
      await eventually(() => started.banners() === 2, 30_000);

      // Assess
      expect(started.stderr()).toContain('Reload:   on: a change to a .ts file under lib/ or dev/ restarts it (your handlers: lib/handlers/registry.ts)');
      expect(started.stderr()).toContain('npm start: dev/local/tool-command.ts changed: restarting');
    } finally {
      started.child.kill('SIGTERM');
      const [code] = await started.exit;
      await rm(stateDir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
  });

  it('still stops with the one line of a setting it cannot use', { timeout: 60_000 }, async () => {
    // Act
    const started = npmStart([], { HOST: '999.1.1.1' });
    const [code] = await started.exit;

    // Assess
    expect(code).toBe(1);
    expect(started.stderr()).toBe('npm start: HOST must be a loopback address, 127.0.0.1 (the default), ::1 or localhost: the local runtime is not for the network; not "999.1.1.1"\n');
  });

  it('with --no-watch, says that a changed handler needs a restart; --fresh empties the state folder first', { timeout: 60_000 }, async () => {
    // Prepare: something kept from an earlier run
    const stateDir = await mkdtemp(join(tmpdir(), 'start-no-watch-'));
    await writeFile(join(stateDir, 'kept-from-before'), '');
    const started = npmStart(['--no-watch', '--fresh'], { LOCAL_STATE_DIR: stateDir });
    try {
      // Act
      await eventually(() => started.banners() === 1, 30_000);

      // Assess
      expect(started.stderr()).toContain('Reload:   off: after changing a handler (lib/handlers/registry.ts), stop and start again');
      expect(started.stderr()).toContain(`npm start: ${stateDir} emptied (--fresh)`);
      expect(existsSync(join(stateDir, 'kept-from-before'))).toBe(false);
    } finally {
      started.child.kill('SIGTERM');
      await started.exit;
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown option with the usage', () => {
    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'dev/cli/watch.ts', '--watsh'], { encoding: 'utf8' });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^npm start: Unknown option '--watsh'.*\nusage: npm start \[-- --fresh\] \[--no-watch\]/);
  });
});
