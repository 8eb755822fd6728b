/**
 * `npm run capacity`: which AWS quota a steady rate of deliveries reaches first and at what rate, the settings to
 * change, the quota increases to request and the monthly cost, from the benchmarks' per-event times. See
 * docs/capacity.md.
 *
 *   npm run capacity -- --rate 1000 --handler-ms 100                    the plan, for a person
 *   npm run capacity -- --rate 200 --handler-ms 300 --conversations 20  few conversations (FIFO message groups)
 *   npm run capacity -- --rate 1000 --handler-ms 100 --json             the plan as one JSON object
 *   npm run capacity -- --docs-table                                    the table of docs/capacity.md
 *   npm run capacity -- --write-docs                                    that table written into docs/capacity.md
 *
 * Exits 0 with the plan, 2 on a command-line mistake (one line and the usage).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { costModel } from '../cost/model.js';
import { DOCS_RATES, docsSection, replaceDocsSection } from '../capacity/docs.js';
import { formatPlan } from '../capacity/format.js';
import { capacityInputs, readMeasurements } from '../capacity/inputs.js';
import { planCapacity, type CapacityRequest } from '../capacity/plan.js';
import { WORKER_BUDGET } from '../../lib/worker/budget.js';
import { parseArguments, UsageError } from './arguments.js';

const COMMAND = 'npm run capacity';
export const CAPACITY_USAGE = [
  'Usage: npm run capacity -- --rate <deliveries/s> --handler-ms <ms> [--conversations <N>] [--json]',
  '       npm run capacity -- --docs-table | --write-docs',
  '  --rate            steady deliveries per second, all providers together (e.g. 1000)',
  '  --handler-ms      milliseconds your handler takes per event (0 without one)',
  '  --conversations   conversations with events at the same time (default: many); their events run in order',
  '  --json            the plan as one JSON object (fields: docs/capacity.md)',
  '  --docs-table      the table of docs/capacity.md; --write-docs writes it there (after npm run cost -- --write)',
  '',
].join('\n');

const OPTIONS = {
  rate: { type: 'string' },
  'handler-ms': { type: 'string' },
  conversations: { type: 'string' },
  json: { type: 'boolean', default: false },
  'docs-table': { type: 'boolean', default: false },
  'write-docs': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const NUMBER_OPTIONS = new Set(['--rate', '--handler-ms', '--conversations']);

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the command writes. */
export interface CapacityCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A number option: present, a plain decimal, within bounds; otherwise the one line that says so. */
function numberOption(name: string, text: string | undefined, min: number, max: number, integer: boolean, example: string): number {
  if (text === undefined) throw new UsageError(`--${name} is missing: give it, e.g. --${name} ${example}`);
  const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  const kind = integer ? 'a whole number' : 'a number';
  if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${kind} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** `--rate -5` as `--rate=-5`: Node would answer a three-line "ambiguous" message, the bounds' check answers one line. */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const next = argv[index + 1];
    if (NUMBER_OPTIONS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      index += 1;
    } else {
      args.push(arg);
    }
  }
  return args;
}

type Parsed =
  | { readonly kind: 'plan'; readonly request: CapacityRequest; readonly json: boolean }
  | { readonly kind: 'docs-table'; readonly write: boolean }
  | { readonly kind: 'help' };

/** The command line as a request; a mistake throws {@link UsageError} with its one line. */
export function parseCapacityArguments(argv: readonly string[]): Parsed {
  const { values } = parseArguments({ args: joinNegativeNumbers(argv), options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) return { kind: 'help' };
  const docs = values['docs-table'] ? '--docs-table' : values['write-docs'] ? '--write-docs' : undefined;
  if (docs !== undefined) {
    if (values.rate !== undefined || values['handler-ms'] !== undefined || values.conversations !== undefined || values.json || (values['docs-table'] && values['write-docs'])) {
      throw new UsageError(`${docs} is the fixed table of docs/capacity.md: give it alone`);
    }
    return { kind: 'docs-table', write: values['write-docs'] };
  }
  const rate = numberOption('rate', values.rate, 0.001, 1_000_000, false, '1000');
  // The worker stops a handler run at its budget (lib/worker/budget.ts): a longer one never completes.
  const handlerMs = numberOption('handler-ms', values['handler-ms'], 0, WORKER_BUDGET.handlerMs, false, '100');
  const conversations = values.conversations === undefined ? undefined : numberOption('conversations', values.conversations, 1, 10_000_000, true, '50');
  return { kind: 'plan', request: { rate, handlerMs, conversations }, json: values.json };
}

/**
 * Runs `npm run capacity` with `argv` (the arguments after `--`); resolves with the exit code.
 *
 * @example process.exit(await capacityCommand(['--rate', '1000', '--handler-ms', '100'], { stdout: console.log, stderr: console.error }));
 */
export async function capacityCommand(argv: readonly string[], io: CapacityCommandIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseCapacityArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${COMMAND}: ${error.message}\n${CAPACITY_USAGE}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    io.stdout(CAPACITY_USAGE);
    return 0;
  }
  const { measured, settingsSchema } = await readMeasurements(repositoryRoot);
  const inputs = capacityInputs(measured, settingsSchema);
  const cost = costModel(measured);
  if (parsed.kind === 'docs-table') {
    const section = docsSection(inputs, cost);
    if (!parsed.write) {
      io.stdout(section);
      return 0;
    }
    const file = join(repositoryRoot, 'docs/capacity.md');
    await writeFile(file, replaceDocsSection(await readFile(file, 'utf8'), section));
    io.stdout(`docs/capacity.md: the table for ${DOCS_RATES.map((rate) => rate.toLocaleString('en-US')).join(', ')} deliveries/s written.\n`);
    return 0;
  }
  const plan = planCapacity(parsed.request, inputs, cost);
  io.stdout(parsed.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await capacityCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exit(code);
}
