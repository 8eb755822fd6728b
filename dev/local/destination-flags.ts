/**
 * `npm start -- --destination <url>[=<filter>]`, repeatable: the HTTPS destinations of the local runtime, as settings
 * of lib/destinations/settings.ts.
 *
 * The filter is `<providers>:<types>`, each side one glob or several, comma-separated (`*` any run of characters, `?`
 * one): `qikchat:message.*`, `qikchat,chatzuri:message.*`, `*:conversation.*,lead.submitted`. A bare `qikchat` is
 * every event of Qikchat. An event goes to the destination when its provider matches one provider glob and its type
 * one type glob. No filter: every event. The filter starts after the last `=` of the argument; in a query string the
 * last parameter's own `=` stays the URL's, so a filter there takes one more: `http://127.0.0.1:8080/hook?key=v=qikchat`.
 */
import { EVENT_TYPES } from '../../lib/events/schema.js';
import { DestinationSchema, filterMatcher, type DestinationFilter, type DestinationInput } from '../../lib/destinations/settings.js';
import { providers as allProviders } from '../../lib/providers/registry.js';
import { LocalSettingError } from './settings.js';

/** An HTTPS destination as a user writes it (defaults left out). */
type HttpsDestinationInput = Extract<DestinationInput, { readonly type: 'https' }>;

/** Splits `<url>[=<filter>]` as the module's comment says. */
function split(value: string): { url: string; filter: string | undefined } {
  const at = value.lastIndexOf('=');
  const query = value.indexOf('?');
  if (at < 0) return { url: value, filter: undefined };
  if (query >= 0 && at > query) {
    // In the query string, the last parameter's own `=` is the URL's: a filter is a second one.
    const parameter = value.slice(Math.max(query, value.lastIndexOf('&')) + 1);
    if (parameter.indexOf('=') === parameter.lastIndexOf('=')) return { url: value, filter: undefined };
  }
  return { url: value.slice(0, at), filter: value.slice(at + 1) };
}

/** A destination's name from its URL, as the console and the log show it: `127-0-0-1-8080-hook`. */
function nameOf(url: URL, taken: ReadonlySet<string>): string {
  const base =
    `${url.hostname}-${url.port}-${url.pathname}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 34)
      .replace(/-+$/, '') || 'destination';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${String(n)}`;
  return name;
}

function parseUrl(url: string, given: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new LocalSettingError(`--destination ${given}: the URL must be http(s) with a host, such as http://127.0.0.1:8080/hook`);
  }
  if (parsed.username !== '' || parsed.password !== '') throw new LocalSettingError(`--destination ${given}: a URL with credentials in it is refused; the requests are signed instead`);
  return parsed;
}

/** The filter of `<providers>:<types>`, each glob checked to match a known provider or event type. */
function parseFilter(filter: string, given: string, providers: readonly string[]): DestinationFilter {
  const sides = filter.split(':');
  const globs = (side: string | undefined) => (side === undefined || side.trim() === '' ? undefined : side.split(',').map((glob) => glob.trim()));
  const [providerGlobs, typeGlobs] = [globs(sides[0]), globs(sides[1])];
  if (sides.length > 2 || providerGlobs === undefined || [...providerGlobs, ...(typeGlobs ?? [])].some((glob) => !/^[A-Za-z0-9._*?-]+$/.test(glob))) {
    throw new LocalSettingError(
      `--destination ${given}: the filter after = must be <providers>:<types>, each side globs separated by commas (e.g. qikchat:message.* or qikchat,chatzuri:*), not "${filter}"`,
    );
  }
  for (const glob of providerGlobs) {
    if (!providers.some((provider) => filterMatcher({ providers: [glob] })({ provider, type: '' }))) {
      throw new LocalSettingError(`--destination ${given}: "${glob}" matches no provider (${providers.join(', ')})`);
    }
  }
  for (const glob of typeGlobs ?? []) {
    if (!EVENT_TYPES.some((type) => filterMatcher({ types: [glob] })({ provider: '', type }))) {
      throw new LocalSettingError(`--destination ${given}: "${glob}" matches no event type (${EVENT_TYPES.join(', ')})`);
    }
  }
  return { ...(providerGlobs.every((glob) => glob === '*') ? {} : { providers: providerGlobs }), ...(typeGlobs && !typeGlobs.every((glob) => glob === '*') ? { types: typeGlobs } : {}) };
}

/**
 * The HTTPS destinations of the `--destination` arguments, in order, each named after its URL.
 *
 * @throws LocalSettingError with the one line naming what to fix
 * @example destinationsFromFlags(['http://127.0.0.1:8080/hook=qikchat:message.*'])
 * // [{ type: 'https', name: '127-0-0-1-8080-hook', url: 'http://127.0.0.1:8080/hook', filter: { providers: ['qikchat'], types: ['message.*'] } }]
 */
export function destinationsFromFlags(flags: readonly string[], providers: readonly string[] = allProviders.map((provider) => provider.slug)): HttpsDestinationInput[] {
  const taken = new Set<string>();
  return flags.map((given) => {
    const { url, filter } = split(given);
    const parsed = parseUrl(url, given);
    const name = nameOf(parsed, taken);
    taken.add(name);
    const input: HttpsDestinationInput = { type: 'https', name, url, filter: filter === undefined ? {} : parseFilter(filter, given, providers) };
    const checked = DestinationSchema.safeParse(input);
    if (!checked.success) throw new LocalSettingError(`--destination ${given}: ${checked.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    return input;
  });
}

/** A filter as the banner and the console say it: `every event`, or `qikchat:message.*`. */
export function describeFilter(filter: DestinationFilter | undefined): string {
  if (!filter?.providers && !filter?.types) return 'every event';
  return `${filter.providers?.join(',') ?? '*'}:${filter.types?.join(',') ?? '*'}`;
}
