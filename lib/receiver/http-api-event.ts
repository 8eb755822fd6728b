import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebhookDelivery } from '../events/delivery.js';
import { webhookPathSegments } from '../events/webhook-path.js';
import { GatewayHttpError } from './http-errors.js';

/** A path segment decoded; undefined when its percent-encoding is malformed (`%ZZ`), where decodeURIComponent throws. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Reads a delivery out of an API Gateway HTTP API (payload 2.0) event, refusing early what is no
 * delivery for this provider. The body is bounded before it is decoded, so an oversized request costs
 * no more than this check.
 *
 * @throws GatewayHttpError `not_found`, `method_not_allowed`, `payload_too_large`
 */
export function deliveryFromHttpApiEvent(
  event: APIGatewayProxyEventV2,
  provider: string,
  maximumBodyBytes: number,
  receivedAt = new Date(),
): WebhookDelivery {
  const path = webhookPathSegments(event.rawPath);
  if (!path || decodePathSegment(path.slug) !== provider) throw new GatewayHttpError('not_found');
  if (event.requestContext.http.method !== 'POST') throw new GatewayHttpError('method_not_allowed');

  const body = event.body ?? '';
  const encoding = event.isBase64Encoded ? 'base64' : 'utf8';
  // byteLength measures without decoding or copying, so an oversized request is refused for nearly free.
  if (Buffer.byteLength(body, encoding) > maximumBodyBytes) throw new GatewayHttpError('payload_too_large');
  const rawBody = Buffer.from(body, encoding);

  const kind = event.pathParameters?.kind ?? path.kind;
  // The hint is advisory and unknown kinds are ignored: one that does not decode is passed on as it came.
  return { rawBody, headers: event.headers, kindHint: kind ? (decodePathSegment(kind) ?? kind) : undefined, receivedAt };
}
