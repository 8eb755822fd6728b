/**
 * `npm start`: runs the local runtime (dev/cli/start.ts) and starts it again whenever a `.ts` file under lib/ or dev/
 * changes, so a changed handler runs without a manual restart. Queued events, dead letters, idempotency records and
 * the archive are kept in `.local/` across the restart. `--fresh` empties `.local/` once, before the first start;
 * `--no-watch` runs the runtime once, as before. `--destination` is passed on to every run.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { superviseWithReload } from '../local/reload.js';
import { clearLocalState, defaultStateDir } from '../local/state.js';

const USAGE = [
  'usage: npm start [-- --fresh] [--no-watch] [--destination <url>[=<providers>:<types>]]...',
  '  --fresh        forget the queued events, dead letters and idempotency records in .local/',
  '  --no-watch     no restart on changes',
  '  --destination  also deliver events there, signed (repeatable); e.g. http://127.0.0.1:8080/hook or http://127.0.0.1:8080/hook=qikchat:message.*',
].join('\n');
/** What is watched, relative to the repository root, as the banner says it. */
const FOLDERS = ['lib', 'dev'] as const;

let values: { fresh: boolean; watch: boolean; destination: string[] };
try {
  ({ values } = parseArgs({
    options: { fresh: { type: 'boolean', default: false }, watch: { type: 'boolean', default: true }, destination: { type: 'string', multiple: true, default: [] } },
    allowNegative: true,
  }));
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(1);
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const start = fileURLToPath(new URL('start.ts', import.meta.url));
// Emptied here, once: the restarts after a change keep what is queued.
if (values.fresh) {
  const folder = process.env.LOCAL_STATE_DIR || defaultStateDir;
  await clearLocalState(folder);
  process.stderr.write(`npm start: ${folder} emptied (--fresh)\n`);
}

const reloader = superviseWithReload({
  command: process.execPath,
  // The destinations go to every run; start.ts checks them (a mistake ends the first run with its one line).
  args: ['--import', import.meta.resolve('tsx'), start, ...values.destination.map((destination) => `--destination=${destination}`)],
  // The banner of start.ts says whether it reloads, and on what.
  env: values.watch ? { ...process.env, LOCAL_RELOAD: FOLDERS.map((folder) => `${folder}/`).join(' or ') } : process.env,
  folders: values.watch ? FOLDERS.map((folder) => `${root}${folder}`) : [],
  // Samples and other data files are read when used; only code needs a restart.
  matches: (file) => file.endsWith('.ts'),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // Ctrl+C reaches the runtime too (one process group): it stops itself; this waits for it to end.
  process.on(signal, () => void reloader.stop(signal));
}
process.exit(await reloader.done);
