import { GatewayError } from '../events/errors.js';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from '../secrets/max-age.js';
import { DestinationsSchema, type DestinationSettings } from './settings.js';

/** The worker's variables for its destinations, which the stack sets: one definition for both. */
export const DestinationEnvironment = {
  /** The destinations' settings as JSON (the `destinations` setting, defaults filled in); none when unset. */
  destinations: 'DESTINATIONS',
  /** The ARN of the signing secret in Secrets Manager; the value itself never enters the environment. */
  secretArn: 'DESTINATION_SECRET_ARN',
  /** How long the signing secret is cached, in seconds: how soon a rotation is in use. */
  secretsMaxAgeSeconds: 'DESTINATION_SECRETS_MAX_AGE_SECONDS',
} as const;

/** The destinations' variables are unusable: the worker does not start rather than deliver somewhere else. */
export class DestinationSettingsError extends GatewayError<'destination_settings'> {
  override readonly name: string = 'DestinationSettingsError';

  constructor(message: string, options?: ErrorOptions) {
    super('destination_settings', message, options);
  }
}

/** What the worker reads: the destinations, and where their secret is. */
export interface DestinationsFromEnv {
  readonly destinations: readonly DestinationSettings[];
  readonly secretArn: string | undefined;
  readonly secretsMaxAgeSeconds: number;
}

/**
 * Reads the destinations from the worker's environment.
 *
 * @throws DestinationSettingsError naming the variable and the first problem
 */
export function destinationsFromEnv(env: NodeJS.ProcessEnv = process.env): DestinationsFromEnv {
  const text = env[DestinationEnvironment.destinations];
  let destinations: readonly DestinationSettings[] = [];
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new DestinationSettingsError(`${DestinationEnvironment.destinations} is not JSON`, { cause: error });
    }
    const result = DestinationsSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new DestinationSettingsError(`${DestinationEnvironment.destinations}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`, { cause: result.error });
    }
    destinations = result.data;
  }
  const secretArn = env[DestinationEnvironment.secretArn] || undefined;
  if (secretArn === undefined && destinations.some((destination) => destination.type === 'https')) {
    throw new DestinationSettingsError(`${DestinationEnvironment.secretArn} is not set: HTTPS destinations need their signing secret`);
  }
  const maxAge = env[DestinationEnvironment.secretsMaxAgeSeconds];
  const secretsMaxAgeSeconds = maxAge === undefined || maxAge === '' ? DEFAULT_SECRETS_MAX_AGE_SECONDS : Number(maxAge);
  if (!Number.isInteger(secretsMaxAgeSeconds) || secretsMaxAgeSeconds < 0) {
    throw new DestinationSettingsError(`${DestinationEnvironment.secretsMaxAgeSeconds} must be a whole number of seconds, not "${String(maxAge)}"`);
  }
  return { destinations, secretArn, secretsMaxAgeSeconds };
}
