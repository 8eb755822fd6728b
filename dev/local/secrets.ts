import type { SecretSource } from '../../lib/secrets/types.js';

/** How the local runtime reads one provider's secret from its environment (the dev table in `dev/providers.ts`). */
export interface EnvironmentSecretSpec {
  /** `<NAME>` holds the current secret, `<NAME>_PREVIOUS` the previous one (rotation). */
  readonly secretEnv: string;
  /** Used when neither variable is set at all. */
  readonly developmentSecret: string;
  /** What a usable value is, completing "must be ...". */
  readonly secretNeeds: string;
  /** Whether a non-blank value has the form the provider needs. */
  readonly secretHasForm: (value: string) => boolean;
}

/** A secret variable is set but cannot be used: the message is the one line to show, naming the variable and the fix. */
export class SecretVariableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretVariableError';
  }
}

/** The secrets one provider accepts locally, current first. */
export interface EnvironmentSecrets {
  readonly secrets: readonly string[];
  /** True when neither variable was set and the public development default is in use. */
  readonly developmentDefault: boolean;
}

/** The variables a provider's secrets are read from locally: `<NAME>` and `<NAME>_PREVIOUS`. */
export function secretVariables(spec: Pick<EnvironmentSecretSpec, 'secretEnv'>): { current: string; previous: string } {
  return { current: spec.secretEnv, previous: `${spec.secretEnv}_PREVIOUS` };
}

/** Refuses a set value that is no usable secret; never echoes the value, which may be a real secret. */
function checkValue(name: string, value: string, spec: EnvironmentSecretSpec): string {
  const blank = value === '' ? 'empty' : value.trim() === '' ? 'blank' : undefined;
  if (blank !== undefined) throw new SecretVariableError(`${name} is set but ${blank}: it must be ${spec.secretNeeds}, or unset`);
  if (!spec.secretHasForm(value)) throw new SecretVariableError(`${name} must be ${spec.secretNeeds}, or unset`);
  return value;
}

/**
 * Reads a provider's secrets from `<NAME>` and `<NAME>_PREVIOUS`. The development default applies only when
 * neither is set at all: a variable that is set but empty, blank or of the wrong form is a mistake to fix,
 * never a reason to fall back to a public secret.
 *
 * @throws SecretVariableError naming the variable and what it needs
 * @example readEnvironmentSecrets(devProvider('qikchat'), { QIKCHAT_BASIC_AUTH: 'user:password' }) // { secrets: ['user:password'], developmentDefault: false }
 */
export function readEnvironmentSecrets(spec: EnvironmentSecretSpec, env: NodeJS.ProcessEnv = process.env): EnvironmentSecrets {
  const names = secretVariables(spec);
  const current = env[names.current];
  const previous = env[names.previous];
  if (current === undefined && previous === undefined) return { secrets: [spec.developmentSecret], developmentDefault: true };
  if (current === undefined) {
    throw new SecretVariableError(`${names.previous} is set but ${names.current} is not: set ${names.current} to ${spec.secretNeeds} too`);
  }
  const secrets = [checkValue(names.current, current, spec)];
  if (previous !== undefined) secrets.push(checkValue(names.previous, previous, spec));
  return { secrets, developmentDefault: false };
}

/** A secret source for the local runtime: fixed secrets (the environment does not change under a running process). */
export function fixedSecretSource(secrets: readonly string[]): SecretSource {
  const result = Promise.resolve({ secrets: [...secrets] });
  return { getSecrets: () => result };
}
