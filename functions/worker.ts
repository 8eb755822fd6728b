/** Worker Lambda: consumes the FIFO queue and routes each event, once per event id, to its handler in `lib/handlers/registry.ts`. */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { eventHandlers } from '../lib/handlers/registry.js';
import { createLogger, createMetrics } from '../lib/observability/powertools.js';
import { createWorkerHandler } from '../lib/worker/handler.js';
import { createEventIdempotency, idempotencySettingsFromEnv } from '../lib/worker/idempotency.js';

export const handler = createWorkerHandler({
  handlers: eventHandlers,
  logger: createLogger(),
  metrics: createMetrics(),
  tracer: new Tracer(),
  // Throws at init when the table is not configured: the worker never runs a handler unguarded.
  idempotency: createEventIdempotency(idempotencySettingsFromEnv()),
});
