import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** What a receiver needs of a tracer: the handler's middleware, and a way to capture its SDK clients. */
export interface ReceiverTracing {
  /** The outermost middleware: opens the handler subsegment on the invocation's trace. */
  readonly middleware: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
  /** Wraps an AWS SDK v3 client so that each of its calls is a subsegment. */
  readonly captureClient: <T>(client: T) => T;
}

/**
 * Powertools Tracer for a receiver, bundled only with `-c detailedTracing=true` (`infra/bundling.ts`): the
 * `SendMessage` and Secrets Manager calls as subsegments under the handler's. Without it Lambda's active tracing
 * still records every invocation, and the SDK carries its trace id into the message.
 */
export function detailedReceiverTracing(): ReceiverTracing {
  // A receiver's only calls are its two SDK clients, each captured; patching `http` and `https` for the whole
  // process as well would only add work to every request.
  const tracer = new Tracer({ captureHTTPsRequests: false });
  return {
    middleware: captureLambdaHandler(tracer, { captureResponse: false }),
    captureClient: (client) => tracer.captureAWSv3Client(client),
  };
}
