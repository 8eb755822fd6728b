/**
 * The floor the receivers are measured against: a bare Lambda handler that checks an HMAC-SHA256 of the raw
 * body with node:crypto and sends the raw body to the FIFO queue with the receivers' own SQS client settings
 * (`createSqsClient`: the same timeouts and retry budget) and the same 1.5 s deadline per enqueue. No
 * middleware, no logging, no schema, no secret store: the secret comes from the environment at import.
 *
 * Not part of the product. `npm run bench` bundles it with the receivers' esbuild settings (`bench/lib/bundles.ts`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createSqsClient, ENQUEUE_BUDGET } from '../../lib/queue/sqs-client.js';
import { BASELINE_SIGNATURE_HEADER } from './signature.js';

const sqs = createSqsClient();
const queueUrl = process.env.QUEUE_URL ?? '';
const secret = process.env.BASELINE_SECRET ?? '';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');
  const expected = createHmac('sha256', secret).update(raw).digest();
  const received = Buffer.from(event.headers[BASELINE_SIGNATURE_HEADER] ?? '', 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) return { statusCode: 401 };
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: raw.toString('utf8'),
        MessageGroupId: 'baseline',
        MessageDeduplicationId: expected.toString('hex'),
      }),
      { abortSignal: AbortSignal.timeout(ENQUEUE_BUDGET.deadlineMs) },
    );
  } catch {
    return { statusCode: 503 };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"accepted"}' };
}
