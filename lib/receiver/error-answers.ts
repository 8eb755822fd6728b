import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { GatewayHttpError } from './http-errors.js';

/** A JSON answer. */
export function jsonAnswer(statusCode: number, body: Record<string, string>): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * Turns every error into an answer: a {@link GatewayHttpError} into its status with a generic message,
 * anything else into a 500. The caller never sees a detail, a stack or a cause; the log gets all of them.
 */
export function errorAnswers(options: { logger: Logger }): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof GatewayHttpError) {
        const log = error.statusCode >= 500 ? options.logger.error : options.logger.warn;
        log.call(options.logger, 'Delivery not accepted', { status: error.statusCode, reason: error.reason, error });
        request.response = jsonAnswer(error.statusCode, { message: error.message });
        return;
      }
      options.logger.error('Delivery failed unexpectedly', { status: 500, reason: 'internal_error', error });
      request.response = jsonAnswer(500, { message: 'Internal Server Error' });
    },
  };
}
