/** The command line of `npm run smoke`, checked: a mistake is one line (and the usage), exit 2. */
import { findProvider, providers as registeredProviders } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { devProvider } from '../providers.js';
import { parseArguments, UsageError } from '../cli/arguments.js';

export const SMOKE_USAGE = [
  'Usage: npm run smoke -- --stack <name> [--region <region>] [options]     a deployed stack: its URLs, secrets and archive',
  '       npm run smoke -- [--url <base url>] [--bucket <ArchiveBucketName> [--region <region>]] [options]',
  '                                       by hand; the local runtime (npm start) at http://127.0.0.1:$PORT by default',
  'options: --secret <provider>=<value>   sign with this value instead of the stack\'s or npm start\'s (repeatable)',
  `         --provider <slug>             only this provider: ${registeredProviders.map((provider) => provider.slug).join(', ')}`,
  '         --wait <seconds>              how long to look for the events in the archive (default 180)',
  'Exits 0 when every provider passed, 1 when one failed, 2 on a command-line mistake.',
  '',
].join('\n');

const OPTIONS = {
  stack: { type: 'string' },
  url: { type: 'string' },
  bucket: { type: 'string' },
  region: { type: 'string' },
  secret: { type: 'string', multiple: true },
  provider: { type: 'string' },
  wait: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The most `--wait` takes: a smoke test, not a monitor. */
const MAXIMUM_WAIT_SECONDS = 900;
// Through Firehose (archiveDelivery "firehose") an event reaches the bucket about a minute after the worker took it.
const DEFAULT_WAIT_SECONDS = 180;

export interface SmokeArguments {
  readonly help: boolean;
  readonly stack: string | undefined;
  readonly url: string | undefined;
  readonly bucket: string | undefined;
  readonly region: string | undefined;
  /** `--secret <provider>=<value>`, by slug. */
  readonly secrets: ReadonlyMap<string, string>;
  /** The providers to test: every registered one, or `--provider`'s. */
  readonly providers: readonly ProviderDefinition[];
  readonly waitSeconds: number;
}

function known(slug: string, option: string): ProviderDefinition {
  const provider = findProvider(slug);
  if (!provider) throw new UsageError(`${option}: unknown provider "${slug}"; providers: ${registeredProviders.map((p) => p.slug).join(', ')}`);
  return provider;
}

/** `--secret <provider>=<value>` by slug; the value may hold `=` and `:`. Never echoes a value. */
function secretsOf(given: readonly string[]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const option of given) {
    const separator = option.indexOf('=');
    if (separator <= 0) throw new UsageError('--secret takes <provider>=<value>, e.g. --secret qikchat=user:password');
    const slug = option.slice(0, separator);
    const value = option.slice(separator + 1);
    const provider = known(slug, '--secret');
    const data = devProvider(provider);
    if (value.trim() === '') throw new UsageError(`--secret ${slug}= has no value: it must be ${data.secretNeeds}`);
    if (!data.secretHasForm(value)) throw new UsageError(`--secret ${slug}=… must be ${data.secretNeeds}`);
    if (secrets.has(slug)) throw new UsageError(`--secret ${slug}=… is given twice: give each provider's once`);
    secrets.set(slug, value);
  }
  return secrets;
}

function urlOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:3000, not "${value}"`);
  }
  if (url.pathname.includes('/webhooks/')) {
    throw new UsageError(`--url is the gateway's base URL, without /webhooks/…: ${value.slice(0, value.indexOf('/webhooks/'))}`);
  }
  return value.replace(/\/+$/, '');
}

function waitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > MAXIMUM_WAIT_SECONDS) {
    throw new UsageError(`--wait must be a whole number of seconds from 1 to ${String(MAXIMUM_WAIT_SECONDS)}, not "${value}"`);
  }
  return seconds;
}

/**
 * Parses `npm run smoke`'s arguments (those after `--`).
 *
 * @throws UsageError with one line saying what is wrong
 * @example parseSmokeArguments(['--stack', 'ChatWebhookGateway', '--provider', 'qikchat'])
 */
export function parseSmokeArguments(argv: readonly string[]): SmokeArguments {
  const { values } = parseArguments({ args: [...argv], options: OPTIONS, strict: true });
  const empty = (['stack', 'url', 'bucket', 'region', 'provider'] as const).find((name) => values[name] === '');
  if (empty !== undefined) throw new UsageError(`--${empty} needs a value`);
  const mistake =
    (values.stack !== undefined && values.url !== undefined && '--stack reads the URLs from the stack, --url aims by hand: give one of them') ||
    (values.stack !== undefined && values.bucket !== undefined && '--stack reads the archive bucket from the stack: --bucket goes with --url') ||
    (values.region !== undefined && values.stack === undefined && values.bucket === undefined && '--region is for AWS, with --stack or --bucket');
  if (mistake) throw new UsageError(mistake);

  const selected = values.provider !== undefined ? [known(values.provider, '--provider')] : registeredProviders;
  const secrets = secretsOf(values.secret ?? []);
  const stray = [...secrets.keys()].find((slug) => !selected.some((provider) => provider.slug === slug));
  if (stray !== undefined) throw new UsageError(`--secret ${stray}=… is for a provider this run does not test (--provider ${values.provider ?? ''})`);
  return {
    help: values.help,
    stack: values.stack,
    url: urlOf(values.url),
    bucket: values.bucket,
    region: values.region,
    secrets,
    providers: selected,
    waitSeconds: waitOf(values.wait),
  };
}
