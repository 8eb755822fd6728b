import { Tracer } from '@aws-lambda-powertools/tracer';
import { createLogger, createMetrics } from '../observability/powertools.js';
import type { ProviderDefinition } from '../providers/types.js';
import { createSqsClient } from '../queue/sqs-client.js';
import { queueTopology } from '../queue/topology.js';
import { secretsManagerSecretSource } from '../secrets/secrets-manager.js';
import type { SecretSource } from '../secrets/types.js';
import { NoSecretConfiguredError } from '../verification/errors.js';
import { createReceiverHandler } from './handler.js';
import { verificationMode } from './verification-mode.js';

const missingSecret = (provider: string): SecretSource => ({
  getSecrets: () => Promise.reject(new NoSecretConfiguredError(provider, { fix: 'PROVIDER_SECRET_ARN is not set' })),
});

/**
 * A receiver wired for AWS from its environment (set by the CDK stack): `QUEUE_URL`,
 * `PROVIDER_SECRET_ARN`, `SECRETS_MAX_AGE_SECONDS`, `SIGNATURE_VERIFICATION`, and Powertools' own
 * `POWERTOOLS_*` variables. Does no network work at import: the secret is fetched on the first request and
 * cached. A missing setting answers 500 on every request instead of crashing the function, so the log
 * says what is wrong.
 */
export function createAwsReceiverHandler(provider: ProviderDefinition, env: NodeJS.ProcessEnv = process.env) {
  const secretArn = env.PROVIDER_SECRET_ARN;
  const maxAge = Number(env.SECRETS_MAX_AGE_SECONDS ?? 300);
  // A receiver's only calls are the two SDK clients, each captured below; patching `http` and `https` for the
  // whole process as well would only add work to every request.
  const tracer = new Tracer({ captureHTTPsRequests: false });
  const sqs = tracer.captureAWSv3Client(createSqsClient());
  return createReceiverHandler({
    provider,
    logger: createLogger(),
    metrics: createMetrics({ provider: provider.slug }),
    tracer,
    secrets: secretArn
      ? secretsManagerSecretSource(secretArn, {
          maxAgeSeconds: Number.isFinite(maxAge) ? maxAge : 300,
          instrumentClient: (client) => tracer.captureAWSv3Client(client),
        })
      : missingSecret(provider.slug),
    queue: { sqs, queueUrl: env.QUEUE_URL ?? '', maximumMessageSizeBytes: queueTopology.maximumMessageSizeBytes },
    verification: verificationMode(env.SIGNATURE_VERIFICATION),
  });
}
