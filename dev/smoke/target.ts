/**
 * What `npm run smoke` sends to and checks: a deployed stack by its outputs (webhook URLs, secrets in Secrets
 * Manager, the archive bucket), or a base URL aimed at by hand: the local runtime (its secrets and
 * `/_local/archive`), or any other gateway, optionally with its archive bucket.
 */
import { webhookPath } from '../../lib/events/webhook-path.js';
import type { ArchiveStore } from '../../lib/archive/writer.js';
import { createS3Client } from '../../lib/archive/s3-client.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { localSecret } from '../local/settings.js';
import { devProvider } from '../providers.js';
import { readStackOutputs, StackOutputsError, type StackOutputs } from '../resume/stack-outputs.js';
import { isLocalRuntime, localArchiveCheck, s3ArchiveCheck, type ArchiveCheck } from './archive-check.js';
import { accessDeniedLine, SmokeError } from './errors.js';
import { readSigningSecret, secretsManagerReader, type SecretReader, type SigningSecret } from './secrets.js';

/** `qiscus-sdk` → `QiscusSdk`, as infra/construct-ids.ts names outputs (tools do not import the CDK app). */
function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The stack outputs a smoke test reads, set in infra/ChatWebhookGatewayStack.ts: per provider its webhook URL and
 * its secret's ARN, and the archive bucket.
 *
 * @example SMOKE_STACK_OUTPUTS.webhookUrl('qiscus-sdk') // 'QiscusSdkWebhookUrl'
 */
export const SMOKE_STACK_OUTPUTS = {
  webhookUrl: (slug: string): string => `${pascalCase(slug)}WebhookUrl`,
  secretArn: (slug: string): string => `${pascalCase(slug)}SecretArn`,
  archiveBucket: 'ArchiveBucketName',
} as const;

/** The command line's choice, checked. */
export interface SmokeTargetArguments {
  /** AWS: a deployed stack. */
  readonly stack?: string | undefined;
  /** By hand: the gateway's base URL (the local runtime by default). */
  readonly url: string;
  /** By hand, AWS: the archive bucket to look for the events in. */
  readonly bucket?: string | undefined;
  /** AWS: `--region`, else `AWS_REGION`; undefined: the SDK's. */
  readonly region?: string | undefined;
  /** `--secret <provider>=<value>`, by slug. */
  readonly secrets: ReadonlyMap<string, string>;
  /** The providers to test. */
  readonly providers: readonly ProviderDefinition[];
  /** The environment `npm start` would read its secrets from. */
  readonly env: NodeJS.ProcessEnv;
  /** Look in the archive from this time on. */
  readonly from: Date;
}

export interface SmokeDependencies {
  /** Reads a stack's outputs. @default {@link readStackOutputs} (CloudFormation DescribeStacks) */
  readonly readStackOutputs?: (stack: string, region: string | undefined) => Promise<StackOutputs>;
  /** Reads a secret's accepted values by ARN. @default Secrets Manager with your credentials */
  readonly readSecret?: SecretReader;
  /** The archive bucket's store. @default an S3 client in `region`, destroyed at the end */
  readonly openArchive?: (bucket: string, region: string | undefined) => { readonly store: ArchiveStore; readonly destroy: () => void };
}

/** One provider's part of a run. */
export interface SmokeProviderTarget {
  readonly provider: ProviderDefinition;
  /** Where its sample goes. */
  readonly url: string;
  /**
   * The secret to sign with.
   * @throws SmokeError with one line when it cannot be had
   */
  secret(): Promise<SigningSecret>;
  /** Where the secret came from, said after a refusal. */
  readonly secretFrom: string;
}

export interface SmokeTarget {
  /** Said in the first line: `stack Gateway (eu-west-1)`, `the local runtime at …`. */
  readonly where: string;
  readonly providers: readonly SmokeProviderTarget[];
  /** Where the events are looked for; undefined when nothing can be checked (`unchecked` says why). */
  readonly archive: ArchiveCheck | undefined;
  readonly unchecked?: string | undefined;
  /** What to do after a 401 of this provider, beside checking the secret. */
  refusedHint(provider: ProviderDefinition): string;
  /** What to look at when an accepted event is not archived in time. */
  readonly notHandledHint: string;
  destroy(): void;
}

function defaultArchive(bucket: string, region: string | undefined): { store: ArchiveStore; destroy: () => void } {
  const s3 = createS3Client({ region });
  return { store: { s3, bucket }, destroy: () => s3.destroy() };
}

const given = (slug: string, value: string): Pick<SmokeProviderTarget, 'secret' | 'secretFrom'> => ({
  secret: async () => ({ value }),
  secretFrom: `--secret ${slug}=…`,
});

/** From the stack's outputs: its URLs, its secrets (unless given) and its archive bucket. */
async function stackTarget(stack: string, args: SmokeTargetArguments, dependencies: SmokeDependencies): Promise<SmokeTarget> {
  let found: StackOutputs;
  try {
    found = await (dependencies.readStackOutputs ?? readStackOutputs)(stack, args.region);
  } catch (error) {
    const denied = accessDeniedLine(error, `reading stack ${stack}`, 'cloudformation:DescribeStacks on it');
    if (denied) throw new SmokeError(denied, { cause: error });
    if (error instanceof StackOutputsError) throw new SmokeError(error.message, { cause: error.cause });
    throw error;
  }
  const { outputs, region } = found;
  const bucketOutput = SMOKE_STACK_OUTPUTS.archiveBucket;
  const needed = [
    ...args.providers.flatMap(({ slug }) => [SMOKE_STACK_OUTPUTS.webhookUrl(slug), ...(args.secrets.has(slug) ? [] : [SMOKE_STACK_OUTPUTS.secretArn(slug)])]),
    bucketOutput,
  ];
  const missing = needed.filter((name) => !outputs[name]);
  if (missing.length > 0) throw new SmokeError(`Stack ${stack} has no output ${missing.join(', ')}: deploy the current version (npm run deploy)`);

  const reader = dependencies.readSecret ? { read: dependencies.readSecret, destroy: () => undefined } : secretsManagerReader({ region });
  const archive = (dependencies.openArchive ?? defaultArchive)(outputs[bucketOutput] ?? '', region);
  return {
    where: `stack ${stack} (${region})`,
    providers: args.providers.map((provider) => {
      const value = args.secrets.get(provider.slug);
      const arn = outputs[SMOKE_STACK_OUTPUTS.secretArn(provider.slug)] ?? '';
      return {
        provider,
        url: outputs[SMOKE_STACK_OUTPUTS.webhookUrl(provider.slug)] ?? '',
        ...(value !== undefined ? given(provider.slug, value) : { secret: () => readSigningSecret(reader.read, provider, arn), secretFrom: `the secret ${arn}` }),
      };
    }),
    archive: s3ArchiveCheck(archive.store, args.from, archive.destroy),
    refusedHint: () => 'a receiver keeps its secret up to secretsMaxAgeSeconds (300 s by default): if you stored it just now, run again in 5 minutes',
    notHandledHint: "look at the worker's log group and the dead-letter queue (the DeadLetterQueueUrl output); npm run smoke again shows whether it came late",
    destroy: () => {
      reader.destroy();
      archive.destroy();
    },
  };
}

/** From a base URL: the local runtime's secrets (unless given) and archive, or another gateway's bucket if given. */
async function urlTarget(args: SmokeTargetArguments, dependencies: SmokeDependencies): Promise<SmokeTarget> {
  const base = args.url.replace(/\/+$/, '');
  const local = args.bucket === undefined ? await isLocalRuntime(base) : false;
  const archive = args.bucket !== undefined ? (dependencies.openArchive ?? defaultArchive)(args.bucket, args.region) : undefined;
  const providers = args.providers.map((provider): SmokeProviderTarget => {
    const value = args.secrets.get(provider.slug);
    const variable = devProvider(provider).secretEnv;
    return {
      provider,
      url: `${base}${webhookPath(provider.slug)}`,
      ...(value !== undefined
        ? given(provider.slug, value)
        : {
            secret: async () => {
              try {
                return { value: localSecret(provider, args.env) };
              } catch (error) {
                throw new SmokeError(error instanceof Error ? error.message : String(error), { cause: error });
              }
            },
            secretFrom: `npm start's secret (${variable}, or its development default)`,
          }),
    };
  });
  return {
    where: local ? `the local runtime at ${base}` : base,
    providers,
    archive: archive ? s3ArchiveCheck(archive.store, args.from, archive.destroy) : local ? localArchiveCheck(base) : undefined,
    unchecked: local || archive ? undefined : `${base} is no local runtime: give --bucket <ArchiveBucketName> (or --stack) to look for the events in the archive`,
    refusedHint: (provider) =>
      local
        ? `npm start reads ${devProvider(provider).secretEnv} (else its development default): give npm run smoke the same value, in that variable or with --secret`
        : `pass the gateway's value with --secret ${provider.slug}=<value>`,
    notHandledHint: local ? `see the log of npm start and ${base}/_local/dead-letters` : "look at the worker's log and the dead-letter queue",
    destroy: () => archive?.destroy(),
  };
}

/**
 * The stack's target when `stack` is given, else the gateway at `url`.
 *
 * @throws SmokeError with one line: the stack cannot be read or lacks an output, nothing answers at the URL
 */
export function resolveSmokeTarget(args: SmokeTargetArguments, dependencies: SmokeDependencies = {}): Promise<SmokeTarget> {
  return args.stack !== undefined ? stackTarget(args.stack, args, dependencies) : urlTarget(args, dependencies);
}
