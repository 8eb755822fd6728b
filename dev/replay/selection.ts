/**
 * What `npm run replay` selects, from its options: at least one selector, or `--all` for the whole archive (a
 * replay sends every selected event again, so it never does that unasked); a provider or type it does not know is
 * an error naming the ones it knows, not a replay that selects nothing.
 */
import { EVENT_TYPES } from '../../lib/events/schema.js';
import { providers } from '../../lib/providers/registry.js';
import { archiveQueryFromParameters, type ArchiveQuery } from './read-archive.js';

/** The options that narrow a replay, as `npm run replay` names them. */
const SELECTORS = ['from', 'to', 'provider', 'type', 'conversation', 'id'] as const;
type Selectors = Partial<Record<(typeof SELECTORS)[number], string | undefined>>;

/** A selection the replay refuses; the message is the one line to show before the usage. */
export class ReplaySelectionError extends Error {
  override readonly name: string = 'ReplaySelectionError';
}

/**
 * The archive query of a replay: every event the selectors match (no listing limit).
 *
 * @throws ReplaySelectionError with no selector and no `all`, with both, or with an unknown provider or type
 * @throws ArchiveQueryError when a time is no ISO time
 * @example replayQuery({ conversation: '6281234567890' }, false) // { conversation: '6281234567890', ... }
 */
export function replayQuery(selectors: Selectors, all: boolean): ArchiveQuery {
  const given = SELECTORS.filter((name) => selectors[name] !== undefined);
  if (given.length === 0 && !all) {
    throw new ReplaySelectionError('say what to replay: --conversation <id>, --id <event id>, --provider, --type or --from/--to; or --all for the whole archive');
  }
  if (given.length > 0 && all) throw new ReplaySelectionError(`--all replays the whole archive: give it alone, or leave it out to replay what --${given.join(', --')} select`);
  const known = (name: string, value: string | undefined, valid: readonly string[]) => {
    if (value !== undefined && !valid.includes(value)) throw new ReplaySelectionError(`unknown ${name} "${value}": the ${name}s are ${valid.join(', ')}`);
  };
  known('provider', selectors.provider, providers.map((provider) => provider.slug));
  known('type', selectors.type, EVENT_TYPES);
  const parameters = new URLSearchParams();
  for (const name of given) parameters.set(name, selectors[name] ?? '');
  return { ...archiveQueryFromParameters(parameters), limit: undefined };
}
