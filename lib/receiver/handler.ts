import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type EmfMetrics, publishMetrics } from '../observability/emf.js';
import { recordEnqueueDuration } from '../observability/enqueue-duration.js';
import { elapsedMs, eventLogKeys } from '../observability/event-log-keys.js';
import type { ReceiverLogger } from '../observability/json-logger.js';
import { answerMetrics } from './answer-metrics.js';
import { errorAnswers, jsonAnswer } from './error-answers.js';
import { deliveryFromHttpApiEvent } from './http-api-event.js';
import { receiveDelivery, type ReceiverDependencies } from './receive.js';

export interface ReceiverOptions extends ReceiverDependencies {
  /** A Powertools Logger (local runtime, tests) or the Lambda receivers' {@link JsonLineLogger}. */
  readonly logger: ReceiverLogger;
  /** EMF metrics (received, rejected by reason, enqueued, enqueue failures, answer and enqueue time); none locally. */
  readonly metrics?: EmfMetrics | undefined;
  /**
   * The outermost middleware, Powertools Tracer's handler subsegment, in the `detailedTracing` build only
   * (`lib/observability/receiver-tracing.ts`); otherwise Lambda's active tracing records the invocation.
   */
  readonly tracing?: ReceiverMiddleware | undefined;
}

/** The one success answer; Chatzuri requires exactly this body. */
const ACCEPTED_BODY = '{"status":"accepted"}';

type ReceiverMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** The invocation's Lambda keys on its lines, and its correlation id dropped once answered (Powertools' `injectLambdaContext` with `resetKeys`). */
function lambdaLogContext(logger: ReceiverLogger): ReceiverMiddleware {
  const reset = () => logger.resetKeys();
  return { before: (request) => logger.addContext(request.context), after: reset, onError: reset };
}

/**
 * A receiver Lambda handler for one provider: API Gateway HTTP API (2.0) event in, answer out, only after
 * the event is in the queue.
 */
export function createReceiverHandler(options: ReceiverOptions) {
  const { provider, metrics, tracing } = options;
  // The provider on every line, set once here rather than appended on every request.
  const logger = options.logger.createChild({ persistentKeys: { provider: provider.slug } });
  if (options.verification === 'disabled') {
    logger.warn('Signature verification is DISABLED for this provider: any caller can inject events');
  }
  if (metrics) recordEnqueueDuration(options.queue.sqs, metrics);
  // Onion order: tracing outermost; the metrics see the final answer, also one made from an error.
  const middlewares: ReceiverMiddleware[] = [
    ...(tracing ? [tracing] : []),
    lambdaLogContext(logger),
    ...(metrics ? [publishMetrics<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(metrics), answerMetrics(metrics)] : []),
    errorAnswers({ logger }),
  ];
  // No early timeout: the answer budget (`lib/queue/sqs-client.ts`) answers in 1.6 s, long before Lambda's timeout, and middy's per-invocation timer and race cost 3–6 µs a delivery (BENCHMARKS.md).
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({ timeoutEarlyInMillis: 0 })
    .use(middlewares)
    .handler(async (request) => {
      const started = performance.now();
      const delivery = deliveryFromHttpApiEvent(request, provider.slug, options.queue.maximumMessageSizeBytes);
      const { event, messageId } = await receiveDelivery(options, delivery);
      // The event id once (`eventId`, as on the worker's lines; no `correlation_id` repeating it), the verification
      // mode only when it is not the default.
      logger.info('Delivery accepted', { ...eventLogKeys(event), messageId, ...(options.verification === 'enforced' ? {} : { verification: options.verification }), durationMs: elapsedMs(started) });
      return { ...jsonAnswer(200, {}), body: ACCEPTED_BODY };
    });
}
