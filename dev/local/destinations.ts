/**
 * The local runtime's destinations: the settings of `npm start -- --destination` made into the worker's
 * destinations, signing with `DESTINATION_SECRET` (or the development secret) under the local address policy
 * (loopback allowed), each attempt told to the console.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { createDestinations } from '../../lib/destinations/destinations.js';
import { DestinationsSchema, type DestinationInput } from '../../lib/destinations/settings.js';
import type { AttemptListener, WorkerDestinations } from '../../lib/destinations/types.js';
import { LOOPBACK_ALLOWED } from '../../lib/net/outbound.js';
import type { DestinationView } from '../console/model.js';
import { describeFilter } from './destination-flags.js';
import { localDestinationSecrets } from './destination-secret.js';
import { fixedSecretSource } from './secrets.js';
import { LocalSettingError } from './settings.js';

export interface LocalDestinations {
  /** For `createWorkerHandler({ destinations })`; undefined when there are none. */
  readonly worker: WorkerDestinations | undefined;
  /** What the banner and `GET /_local/destinations` say of them. */
  readonly views: readonly DestinationView[];
  /** Whether they sign with the public development secret (DESTINATION_SECRET unset). */
  readonly developmentSecret: boolean;
}

/**
 * The destinations of `settings`. The secret is read only when there are some: a `DESTINATION_SECRET` nobody uses
 * stops nothing.
 *
 * @throws LocalSettingError when the settings are unusable; SecretVariableError when DESTINATION_SECRET is set but no `whsec_` secret
 */
export function localDestinations(settings: readonly DestinationInput[], options: { readonly env: NodeJS.ProcessEnv; readonly logger: Logger; readonly onAttempt: AttemptListener }): LocalDestinations {
  if (settings.length === 0) return { worker: undefined, views: [], developmentSecret: false };
  const parsed = DestinationsSchema.safeParse(settings);
  if (!parsed.success) throw new LocalSettingError(`the destinations cannot be used: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const secrets = localDestinationSecrets(options.env);
  return {
    worker: createDestinations(parsed.data, { secrets: fixedSecretSource(secrets.secrets), policy: LOOPBACK_ALLOWED, logger: options.logger, onAttempt: options.onAttempt }),
    views: parsed.data.map((destination) => ({
      name: destination.name,
      url: destination.type === 'https' ? destination.url : `eventbridge:${destination.busName}`,
      filter: describeFilter(destination.filter),
    })),
    developmentSecret: secrets.developmentDefault,
  };
}
