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

/**
 * Parses `process.argv` by `config`; on a mistake exits 2 with the message and `usage`.
 *
 * @example const { values } = parseCommandLine('npm run load', { options: { events: { type: 'string' } } }, 'Usage: ...');
 */
export function parseCommandLine<T extends ParseArgsConfig>(command: string, config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // Node's parse errors are TypeErrors with an ERR_PARSE_ARGS_* code and a message saying what was wrong.
    if (!(error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))) throw error;
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
