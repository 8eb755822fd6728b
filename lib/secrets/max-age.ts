/**
 * How long a receiver reuses a fetched secret before reading it again, in seconds, unless configured otherwise
 * (`-c secretsMaxAgeSeconds`): a rotation is picked up within this, without a deploy.
 */
export const DEFAULT_SECRETS_MAX_AGE_SECONDS = 300;
