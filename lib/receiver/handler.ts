import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorAnswers, jsonAnswer } from './error-answers.js';
import { deliveryFromHttpApiEvent } from './http-api-event.js';
import { receiveDelivery, type ReceiverDependencies } from './receive.js';

export interface ReceiverOptions extends ReceiverDependencies {
  readonly logger: Logger;
}

/** The one success answer; Chatzuri requires exactly this body. */
export const ACCEPTED_BODY = '{"status":"accepted"}';

/**
 * A receiver Lambda handler for one provider: API Gateway HTTP API (2.0) event in, answer out, only after
 * the event is in the queue.
 */
export function createReceiverHandler(options: ReceiverOptions) {
  const { logger, provider } = options;
  if (options.verification === 'disabled') {
    logger.warn('Signature verification is DISABLED for this provider: any caller can inject events', {
      provider: provider.slug,
    });
  }
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(errorAnswers({ logger }))
    .handler(async (request) => {
      logger.appendKeys({ provider: provider.slug });
      const delivery = deliveryFromHttpApiEvent(request, provider.slug, options.queue.maximumMessageSizeBytes);
      const { event, messageId } = await receiveDelivery(options, delivery);
      logger.setCorrelationId(event.id);
      logger.info('Delivery accepted', {
        type: event.type,
        eventId: event.id,
        subject: event.subject,
        messageId,
        verification: options.verification,
      });
      return { ...jsonAnswer(200, {}), body: ACCEPTED_BODY };
    });
}
