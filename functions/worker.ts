/** Worker Lambda: consumes the FIFO queue, archives each batch, and routes each event, once per event id, to its handler in `lib/handlers/registry.ts`; parks a conversation whose handler keeps failing. */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createFirehoseClient } from '../lib/archive/firehose-client.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_DELIVERY_STREAM_VARIABLE } from '../lib/archive/format.js';
import { createS3Client } from '../lib/archive/s3-client.js';
import { createDestinations } from '../lib/destinations/destinations.js';
import { destinationsFromEnv } from '../lib/destinations/environment.js';
import { secretsManagerSecretSource } from '../lib/secrets/secrets-manager.js';
import { eventHandlers } from '../lib/handlers/registry.js';
import { mediaCredentialsFromSecrets } from '../lib/media/credentials.js';
import { mediaSettingsFromEnv } from '../lib/media/settings.js';
import { PUBLIC_HTTPS_ONLY } from '../lib/net/outbound.js';
import { createLogger, createMetrics } from '../lib/observability/powertools.js';
import { createParkStore } from '../lib/parking/park-store.js';
import { PARK_TABLE_VARIABLE } from '../lib/parking/park-table.js';
import { retryPolicyFromEnv } from '../lib/parking/retry-policy.js';
import { createSqsClient } from '../lib/queue/sqs-client.js';
import { DEAD_LETTER_QUEUE_URL_VARIABLE, QUEUE_URL_VARIABLE } from '../lib/queue/worker-queue.js';
import { createWorkerHandler } from '../lib/worker/handler.js';
import { createEventIdempotency, idempotencySettingsFromEnv } from '../lib/worker/idempotency.js';

// The stack always sets these. Unset, every batch fails its archive write (or park store read) and is retried: no handler runs unarchived or unguarded.
const bucketName = process.env[ARCHIVE_BUCKET_VARIABLE] ?? '';
const s3 = createS3Client();
const bucket = { s3, bucket: bucketName };
// Set when the stack archives through Firehose (archiveDelivery "firehose"); the bucket then takes only a line too large for a record.
const deliveryStream = process.env[ARCHIVE_DELIVERY_STREAM_VARIABLE];
const queueUrl = process.env[QUEUE_URL_VARIABLE] ?? '';
const deadLetterQueueUrl = process.env[DEAD_LETTER_QUEUE_URL_VARIABLE] ?? '';
// Throws at init on a MEDIA_* value it cannot use.
const media = mediaSettingsFromEnv();

const logger = createLogger();
const tracer = new Tracer();
// Throws at init on settings it cannot follow: the worker delivers nowhere else than configured.
const configured = destinationsFromEnv();

export const handler = createWorkerHandler({
  handlers: eventHandlers,
  logger,
  metrics: createMetrics(),
  tracer,
  destinations: createDestinations(configured.destinations, {
    secrets: configured.secretArn
      ? secretsManagerSecretSource(configured.secretArn, { maxAgeSeconds: configured.secretsMaxAgeSeconds, instrumentClient: (client) => tracer.captureAWSv3Client(client) })
      : { getSecrets: () => Promise.resolve({ secrets: [] }) },
    policy: PUBLIC_HTTPS_ONLY,
    eventBridge: configured.destinations.some((destination) => destination.type === 'eventbridge') ? tracer.captureAWSv3Client(new EventBridgeClient({ maxAttempts: 2 })) : undefined,
    logger,
    metrics: (dimensions) => createMetrics(dimensions),
  }),
  // Throws at init when the table is not configured: the worker never runs a handler unguarded.
  idempotency: createEventIdempotency(idempotencySettingsFromEnv()),
  parkStore: createParkStore({ tableName: process.env[PARK_TABLE_VARIABLE] ?? '' }),
  // Throws at init on a policy it cannot follow.
  retry: retryPolicyFromEnv(),
  queue: { sqs: createSqsClient({ requestTimeoutMs: 3_000 }), queueUrl, deadLetterQueueUrl },
  archive: deliveryStream ? { firehose: createFirehoseClient(), deliveryStream, direct: bucket } : bucket,
  // Attachments go into the archive bucket, from public https hosts only (lib/net/outbound.ts).
  media: media.enabled
    ? {
        s3,
        bucket: bucketName,
        settings: media,
        policy: PUBLIC_HTTPS_ONLY,
        credentials:
          Object.keys(media.credentialSecrets).length > 0
            ? mediaCredentialsFromSecrets(media.credentialSecrets, { instrumentClient: (client) => tracer.captureAWSv3Client(client) })
            : undefined,
      }
    : undefined,
});
