/** Worker Lambda: consumes the FIFO queue, archives each batch, and routes each event, once per event id, to its handler in `lib/handlers/registry.ts`. */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ARCHIVE_BUCKET_VARIABLE } from '../lib/archive/format.js';
import { createS3Client } from '../lib/archive/s3-client.js';
import { eventHandlers } from '../lib/handlers/registry.js';
import { createLogger, createMetrics } from '../lib/observability/powertools.js';
import { createWorkerHandler } from '../lib/worker/handler.js';
import { createEventIdempotency, idempotencySettingsFromEnv } from '../lib/worker/idempotency.js';

// The stack always sets it. Unset, every batch fails its archive write and is retried: no handler runs unarchived.
const bucket = process.env[ARCHIVE_BUCKET_VARIABLE] ?? '';

export const handler = createWorkerHandler({
  handlers: eventHandlers,
  logger: createLogger(),
  metrics: createMetrics(),
  tracer: new Tracer(),
  // Throws at init when the table is not configured: the worker never runs a handler unguarded.
  idempotency: createEventIdempotency(idempotencySettingsFromEnv()),
  archive: { s3: createS3Client(), bucket },
});
