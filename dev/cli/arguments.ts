/**
 * The command line of a CLI, parsed with `node:util`'s parseArgs; a mistake (an unknown option, a missing value,
 * a stray argument) prints one line and the usage instead of a stack trace, and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exits with the message and the usage on stderr. */
export function usageError(command: string, message: string, usage: string): never {
  process.stderr.write(`${command}: ${message}\n${usage.trimEnd()}\n`);
  process.exit(2);
}

/** A command-line mistake: its message is the one line that goes out with the usage, and the exit code is 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/**
 * Parses by `config` (`process.argv` unless it names `args`); a mistake throws {@link UsageError} with Node's message,
 * for a CLI that its tests run in-process.
 *
 * @example const { values } = parseArguments({ args: argv, options: { list: { type: 'boolean' } }, strict: true });
 */
export function parseArguments<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // Node's parse errors are TypeErrors with an ERR_PARSE_ARGS_* code and a message saying what was wrong.
    if (!(error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))) throw error;
    throw new UsageError(error.message, { cause: error });
  }
}

/**
 * Parses `process.argv` by `config`; on a mistake exits 2 with the message and `usage`.
 *
 * @example const { values } = parseCommandLine('npm run load', { options: { events: { type: 'string' } } }, 'Usage: ...');
 */
export function parseCommandLine<T extends ParseArgsConfig>(command: string, config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArguments(config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(command, error.message, usage);
  }
}

/**
 * The arguments with a bare `--<name>` (the last argument, or one followed by another option) given as `--<name>=`,
 * so that an option whose value may be left out (`npm run load -- --url`: the running npm start) parses, with the
 * empty string for "the default".
 *
 * @example withOptionalValue(['--url', '--events', '10'], 'url') // ['--url=', '--events', '10']
 */
export function withOptionalValue(args: readonly string[], name: string): string[] {
  return args.map((arg, index) => {
    const next = args[index + 1];
    return arg === `--${name}` && (next === undefined || next.startsWith('-')) ? `--${name}=` : arg;
  });
}
