import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { GatewayHttpError } from './http-errors.js';

/** A JSON answer. */
export function jsonAnswer(statusCode: number, body: Record<string, string>): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** What went wrong, as one line: the messages of an error's causes, outermost first, without their stacks. */
function causeChain(error: unknown): string {
  const messages: string[] = [];
  // Bounded: a cause chain is a few links long, and a cyclic one must not hang the answer.
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 8; depth++) {
    if (!(cause instanceof Error)) {
      messages.push(typeof cause === 'string' ? cause : JSON.stringify(cause));
      break;
    }
    messages.push(cause.message);
    cause = cause.cause;
  }
  return messages.join(': ');
}

/**
 * Turns every error into an answer: a {@link GatewayHttpError} into its status with a generic message,
 * anything else into a 500. The caller never sees a detail, a stack or a cause. The log gets one line with the
 * reason and what went wrong (WARN for 4xx, ERROR for 5xx); the error with its stacks only at DEBUG, except for
 * an unexpected one (a bug), whose stack is logged with it.
 */
export function errorAnswers(options: { logger: Logger }): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const { logger } = options;
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof GatewayHttpError) {
        const line = { status: error.statusCode, reason: error.reason, detail: causeChain(error.cause) };
        if (error.statusCode >= 500) logger.error('Delivery not accepted', line);
        else logger.warn('Delivery not accepted', line);
        logger.debug('Delivery not accepted: the error', { error });
        request.response = jsonAnswer(error.statusCode, { message: error.message });
        return;
      }
      const answer = new GatewayHttpError('internal_error', { cause: error });
      logger.error('Delivery failed unexpectedly', { status: answer.statusCode, reason: answer.reason, error });
      request.response = jsonAnswer(answer.statusCode, { message: answer.message });
    },
  };
}
