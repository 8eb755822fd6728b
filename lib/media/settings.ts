/**
 * The media settings the worker reads from its environment, with their defaults: one home for the stack (which
 * sets the variables from `gateway.config.json`) and the worker.
 */
import * as z from 'zod';

/** Where stored media go in the archive bucket: beside the archive's `events/`, expiring with it. */
export const MEDIA_PREFIX = 'media/';

/** The longest time limit the worker's budget leaves media: 60 s less the reserve, the archive write, what surrounds a handler and the handler's least. */
export const MEDIA_MAX_TIME_LIMIT_SECONDS = 24;

/** Defaults of the media settings. */
export const MEDIA_DEFAULTS = {
  /** 100 MiB: WhatsApp's largest document; a larger file is not stored (`too_large`). */
  maxBytes: 100 * 1024 * 1024,
  /** Seconds all of an event's files may take, retries included (BENCHMARKS.md, media). */
  timeLimitSeconds: 15,
} as const;

/** The environment variables of the media settings. */
export const MEDIA_VARIABLES = {
  /** `false` turns storing off; anything else (or unset) leaves it on. */
  enabled: 'MEDIA_STORE',
  maxBytes: 'MEDIA_MAX_BYTES',
  timeLimitSeconds: 'MEDIA_TIME_LIMIT_SECONDS',
  /** JSON `{"<provider>": ["host", ...]}`: the only hosts a provider's media links may go to. */
  allowHosts: 'MEDIA_ALLOW_HOSTS',
  /** JSON `{"<provider>": "<secret ARN>"}`: whose secret's `mediaHeaders` its media links need. */
  credentialSecrets: 'MEDIA_CREDENTIAL_SECRETS',
} as const;

const AllowHostsSchema = z.record(z.string(), z.array(z.string().min(1)));
const CredentialSecretsSchema = z.record(z.string(), z.string().min(1));

/** The media settings in effect. */
export interface MediaSettings {
  readonly enabled: boolean;
  readonly maxBytes: number;
  readonly timeLimitMs: number;
  /** Per provider slug; a provider not named may reach any public host. */
  readonly allowHosts: Readonly<Record<string, readonly string[]>>;
  /** The secret of each provider whose media links need credentials (`mediaHeaders`), by slug. */
  readonly credentialSecrets: Readonly<Record<string, string>>;
}

/** A media variable the worker cannot use; thrown at init, so the stack's mistake is seen at once. */
export class MediaSettingsError extends Error {
  override readonly name: string = 'MediaSettingsError';
}

function positiveInteger(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const text = env[variable];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new MediaSettingsError(`${variable} must be a positive integer, not "${text}"`);
  return value;
}

/**
 * The media settings from the environment (`MEDIA_*`), defaults where unset.
 *
 * @throws MediaSettingsError naming the variable that cannot be used
 */
export function mediaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MediaSettings {
  const json = <T>(variable: string, schema: z.ZodType<T>, shape: string): T | undefined => {
    const text = env[variable];
    if (text === undefined || text === '') return undefined;
    try {
      return schema.parse(JSON.parse(text));
    } catch (error) {
      throw new MediaSettingsError(`${variable} must be JSON ${shape}`, { cause: error });
    }
  };
  const allowHosts = json(MEDIA_VARIABLES.allowHosts, AllowHostsSchema, '{"<provider>": ["host", ...]}') ?? {};
  return {
    enabled: env[MEDIA_VARIABLES.enabled] !== 'false',
    maxBytes: positiveInteger(env, MEDIA_VARIABLES.maxBytes, MEDIA_DEFAULTS.maxBytes),
    timeLimitMs: positiveInteger(env, MEDIA_VARIABLES.timeLimitSeconds, MEDIA_DEFAULTS.timeLimitSeconds) * 1000,
    allowHosts: Object.fromEntries(Object.entries(allowHosts).map(([provider, list]) => [provider, list.map((host) => host.toLowerCase())])),
    credentialSecrets: json(MEDIA_VARIABLES.credentialSecrets, CredentialSecretsSchema, '{"<provider>": "<secret ARN>"}') ?? {},
  };
}
