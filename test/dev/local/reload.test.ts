/**
 * What `npm start` does on a change (dev/local/reload.ts): the program is stopped and started again when a watched
 * `.ts` file changes (and not for other files); a first run that ends (a setting it cannot use) ends the watch with
 * its exit code; a run that ends after a change (a handler that does not compile) is started again by the next one.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { superviseWithReload, type Reloader } from '../../../dev/local/reload.js';
import { eventually } from '../../support/local-runtime.js';

// The supervised program: notes each start and stop in a log; exits at once with the code in `exit` when there is one.
const PROGRAM = `
import { appendFileSync, readFileSync } from 'node:fs';
const [log, exitFile] = process.argv.slice(2);
appendFileSync(log, 'start\\n');
let code = '';
try { code = readFileSync(exitFile, 'utf8').trim(); } catch {}
if (code !== '') process.exit(Number(code));
process.on('SIGTERM', () => { appendFileSync(log, 'stop\\n'); process.exit(0); });
setInterval(() => undefined, 1000);
`;

describe('reloading on a change', () => {
  let folder: string;
  let source: string;
  let log: string;
  let exitFile: string;
  let reloader: Reloader | undefined;
  const said: string[] = [];
  const runs = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'reload-'));
    source = join(folder, 'src');
    await mkdir(join(source, 'handlers'), { recursive: true });
    log = join(folder, 'runs.log');
    exitFile = join(folder, 'exit');
    await writeFile(join(folder, 'program.mjs'), PROGRAM);
    said.length = 0;
  });
  afterEach(async () => {
    await reloader?.stop();
    reloader = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  const supervise = () =>
    (reloader = superviseWithReload({ command: process.execPath, args: [join(folder, 'program.mjs'), log, exitFile], folders: [source], settleMs: 50, say: (line) => said.push(line) }));

  it('stops the program and starts it again when a .ts file changes, and not for another file', async () => {
    // Prepare
    const supervised = supervise();
    await eventually(async () => (await runs()).length === 1);

    // Act
    await writeFile(join(source, 'notes.md'), 'not code');
    await sleep(400);
    const afterNotes = await runs();
    await writeFile(join(source, 'handlers', 'registry.ts'), 'export const eventHandlers = {};');
    await eventually(async () => (await runs()).length === 3);
    const code = await supervised.stop();

    // Assess
    expect(afterNotes).toEqual(['start']);
    expect(await runs()).toEqual(['start', 'stop', 'start', 'stop']);
    expect(said.join('\n')).toContain('handlers/registry.ts changed: restarting');
    expect(code).toBe(0);
  });

  it('ends with the exit code of a first run that stops by itself', async () => {
    // Prepare: the program stops at once, as npm start does on a setting it cannot use
    await writeFile(exitFile, '3');

    // Act
    const code = await supervise().done;

    // Assess
    expect(code).toBe(3);
    expect(await runs()).toEqual(['start']);
  });

  it('waits for the next change after a run that stopped following a change', async () => {
    // Prepare
    supervise();
    await eventually(async () => (await runs()).length === 1);

    // Act: a change after which the program stops (a handler that does not compile), then the fix
    await writeFile(exitFile, '1');
    await writeFile(join(source, 'broken.ts'), 'export const = ;');
    await eventually(() => said.some((line) => line.includes('the runtime stopped (exit 1)')));
    await writeFile(exitFile, '');
    await writeFile(join(source, 'broken.ts'), 'export const fixed = true;');
    await eventually(async () => (await runs()).filter((line) => line === 'start').length === 3);

    // Assess
    expect(said.join('\n')).toContain('it starts again on the next change (Ctrl+C quits)');
    expect(await runs()).toEqual(['start', 'stop', 'start', 'start']);
  });
});
