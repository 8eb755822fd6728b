import { createEmfMetrics } from '../observability/emf.js';
import { createLogger } from '../observability/powertools.js';
import type { ProviderDefinition } from '../providers/types.js';
import { createSqsClient } from '../queue/sqs-client.js';
import { queueTopology } from '../queue/topology.js';
import { DEFAULT_SECRETS_MAX_AGE_SECONDS } from '../secrets/max-age.js';
import { secretsManagerSecretSource } from '../secrets/secrets-manager.js';
import type { SecretSource } from '../secrets/types.js';
import { NoSecretConfiguredError } from '../providers/kit/errors.js';
import { ReceiverEnvironment } from './environment.js';
import { createReceiverHandler } from './handler.js';
import { verificationMode } from './verification-mode.js';

/**
 * Replaced at bundle time by esbuild's `define` (`detailedTracingDefine` in `infra/bundling.ts`): `true` only with
 * `-c detailedTracing=true`. When false, esbuild drops the dead branch below and with it the X-Ray SDK. Run from
 * source (tests, `npm start`), it is not defined.
 */
declare const GATEWAY_DETAILED_TRACING: boolean | undefined;

// Powertools Tracer and the X-Ray SDK cost the default receivers' cold start a fifth (BENCHMARKS.md).
const tracing =
  typeof GATEWAY_DETAILED_TRACING !== 'undefined' && GATEWAY_DETAILED_TRACING
    ? (await import('../observability/receiver-tracing.js')).detailedReceiverTracing()
    : undefined;

const missingSecret = (provider: string): SecretSource => ({
  getSecrets: () => Promise.reject(new NoSecretConfiguredError(provider, { fix: `${ReceiverEnvironment.providerSecretArn} is not set` })),
});

/**
 * A receiver wired for AWS from its environment ({@link ReceiverEnvironment}, set by the CDK stack): `QUEUE_URL`,
 * `PROVIDER_SECRET_ARN`, `SECRETS_MAX_AGE_SECONDS`, `SIGNATURE_VERIFICATION`, and Powertools' own
 * `POWERTOOLS_*` variables. Does no network work at import: the secret is fetched on the first request and
 * cached. A missing setting answers 500 on every request instead of crashing the function, so the log
 * says what is wrong.
 */
export function createAwsReceiverHandler(provider: ProviderDefinition, env: NodeJS.ProcessEnv = process.env) {
  const secretArn = env[ReceiverEnvironment.providerSecretArn];
  const maxAge = Number(env[ReceiverEnvironment.secretsMaxAgeSeconds] ?? DEFAULT_SECRETS_MAX_AGE_SECONDS);
  const sqs = createSqsClient();
  return createReceiverHandler({
    provider,
    logger: createLogger(),
    metrics: createEmfMetrics({ provider: provider.slug }),
    tracing: tracing?.middleware,
    secrets: secretArn
      ? secretsManagerSecretSource(secretArn, {
          maxAgeSeconds: Number.isFinite(maxAge) ? maxAge : DEFAULT_SECRETS_MAX_AGE_SECONDS,
          ...(tracing ? { instrumentClient: tracing.captureClient } : {}),
        })
      : missingSecret(provider.slug),
    queue: { sqs: tracing ? tracing.captureClient(sqs) : sqs, queueUrl: env[ReceiverEnvironment.queueUrl] ?? '', maximumMessageSizeBytes: queueTopology.maximumMessageSizeBytes },
    verification: verificationMode(env[ReceiverEnvironment.signatureVerification]),
  });
}
