/** Worker Lambda: consumes the FIFO queue and routes each event to its handler in `lib/handlers/registry.ts`. */
import { Logger } from '@aws-lambda-powertools/logger';
import { eventHandlers } from '../lib/handlers/registry.js';
import { createWorkerHandler } from '../lib/worker/handler.js';

export const handler = createWorkerHandler({
  handlers: eventHandlers,
  logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'chat-webhook-gateway' }),
});
