/**
 * Bad input at the receiver itself (the Lambda handler, as API Gateway invokes it): inputs HTTP cannot
 * carry or that only another caller would send, and properties over arbitrary events. The queue is the
 * embedded SQS server with no consumer, so its depth says exactly what was enqueued.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteMessageBatchCommand, PurgeQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import type { LocalQueues } from '../../dev/fakes/queues.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import type { SecretSource } from '../../lib/secrets/types.js';
import { anyHeaders } from '../support/arbitraries.js';
import { closedPort } from '../support/faulty-sqs.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { queueDepth, signed, testSecrets } from '../support/local-runtime.js';
import { expectGenericAnswer, signatureHeader } from './support.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';

const secretsOf = (...secrets: string[]): SecretSource => ({ getSecrets: async () => ({ secrets }) });
const allSecrets = Object.values(testSecrets);

describe('bad input at the receiver handler', () => {
  let embedded: EmbeddedSqs;
  let sqs: SQSClient;
  let queues: LocalQueues;

  beforeAll(async () => {
    embedded = await startEmbeddedSqs({ requestTimeoutMs: 5_000 });
    ({ sqs, queues } = embedded);
  });
  afterAll(async () => {
    await embedded.stop();
  });
  beforeEach(async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queues.queueUrl }));
  });

  function receiver(provider: ProviderDefinition, secrets: SecretSource = secretsOf(testSecrets[provider.slug] ?? '')) {
    const handler = createReceiverHandler({
      provider,
      logger: new Logger({ logLevel: 'SILENT' }),
      secrets,
      queue: { sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: 'enforced',
    });
    return async (event: APIGatewayProxyEventV2) => {
      const result = await handler(event, localLambdaContext(`receiver-${provider.slug}`, 5_000));
      return { status: result.statusCode ?? 0, body: result.body ?? '' };
    };
  }

  it.each(providers.map((p) => [p.slug, p] as const))(
    '%s: answers 401 to the signature header given twice under names of different case',
    async (_slug, provider) => {
      // Prepare: API Gateway lower-cases names; another caller of the handler might not
      const request = signed(provider.slug, '{"a":1}');
      const [name, value] = signatureHeader(provider, request.headers);
      const event = httpApiEvent({ path: `/webhooks/${provider.slug}`, body: request.body });
      event.headers = { 'content-type': 'application/json', [name.toLowerCase()]: value, [name.toUpperCase()]: value };
      // Act
      const answer = await receiver(provider)(event);
      // Assess
      expect(answer.status).toBe(401);
      expectGenericAnswer(answer, allSecrets);
      expect(await queueDepth(sqs, queues.queueUrl)).toBe(0);
    },
  );

  it('answers 401 to a body flagged base64 that is not base64, and to an event with no body at all', async () => {
    // Prepare
    const provider = providers[0] as ProviderDefinition;
    const request = signed(provider.slug, '{"a":1}');
    const notBase64 = { ...httpApiEvent({ path: `/webhooks/${provider.slug}`, body: '%%% not base64 %%%', headers: request.headers }), isBase64Encoded: true };
    const noBody = httpApiEvent({ path: `/webhooks/${provider.slug}`, headers: request.headers });
    // Act
    const answers = [await receiver(provider)(notBase64), await receiver(provider)(noBody)];
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([401, 401]);
    for (const answer of answers) expectGenericAnswer(answer, allSecrets);
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(0);
  });

  it('answers 500 with no detail when the secret cannot be read, whatever the error says', async () => {
    // Prepare: an error message holding what must never reach a caller
    const leaky: SecretSource = { getSecrets: () => Promise.reject(new Error('connect failed: password=hunter2 at /var/task/secret.js:1')) };
    const provider = providers[0] as ProviderDefinition;
    const request = signed(provider.slug, '{"a":1}');
    // Act
    const answer = await receiver(provider, leaky)(httpApiEvent({ path: `/webhooks/${provider.slug}`, body: request.body, headers: request.headers }));
    // Assess
    expect(answer.status).toBe(500);
    expectGenericAnswer(answer, ['hunter2', 'secret.js', 'connect failed']);
  });

  it('answers 503 with no detail when the queue refuses connections', async () => {
    // Prepare: the error says ECONNREFUSED, the address and the SDK's stack; none of it may reach the caller
    const port = await closedPort();
    const deadSqs = createSqsClient({ endpoint: `http://127.0.0.1:${port}` });
    const provider = providers[0] as ProviderDefinition;
    const handler = createReceiverHandler({
      provider,
      logger: new Logger({ logLevel: 'SILENT' }),
      secrets: secretsOf(testSecrets[provider.slug] ?? ''),
      queue: { sqs: deadSqs, queueUrl: `http://127.0.0.1:${port}/000000000000/q.fifo`, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: 'enforced',
    });
    const request = signed(provider.slug, '{"a":"queue down"}');
    // Act
    const result = await handler(httpApiEvent({ path: `/webhooks/${provider.slug}`, body: request.body, headers: request.headers }), localLambdaContext('receiver', 5_000));
    deadSqs.destroy();
    // Assess
    const answer = { status: result.statusCode ?? 0, body: result.body ?? '' };
    expect(answer.status).toBe(503);
    expectGenericAnswer(answer, ['ECONNREFUSED', String(port), 'at ', ...allSecrets]);
  });

  const anyProvider = fc.constantFrom(...providers);
  const anyPath = (provider: ProviderDefinition) =>
    fc.oneof(
      fc.constant(`/webhooks/${provider.slug}`),
      fc.string({ maxLength: 20 }).map((kind) => `/webhooks/${provider.slug}/${kind}`),
      fc.constantFrom(...providers.map((p) => `/webhooks/${p.slug}`)),
      fc.string({ maxLength: 40 }).map((path) => `/${path}`),
      fc.constantFrom('/webhooks/%ZZ', `/webhooks/${provider.slug}/%E0%A4%A`, '/webhooks/%00'),
    );
  const anyMethod = fc.oneof(fc.constant('POST'), fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'), fc.string({ maxLength: 8 }));

  it('answers every arbitrary unsigned event with a defined, generic answer, and enqueues nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyProvider.chain((provider) =>
          fc.record({
            provider: fc.constant(provider),
            path: anyPath(provider),
            method: anyMethod,
            headers: anyHeaders,
            body: fc.option(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), { nil: undefined }),
            isBase64Encoded: fc.boolean(),
          }),
        ),
        async ({ provider, path, method, headers, body, isBase64Encoded }) => {
          // Prepare: API Gateway's headers are strings; arrays become comma-joined
          const event = httpApiEvent({ path, method, ...(body === undefined ? {} : { body }) });
          event.headers = Object.fromEntries(
            Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, typeof value === 'string' ? value : value.join(',')]])),
          );
          event.isBase64Encoded = isBase64Encoded;
          // Act
          const answer = await receiver(provider)(event);
          // Assess
          expect([401, 404, 405]).toContain(answer.status);
          expectGenericAnswer(answer, allSecrets);
        },
      ),
      { numRuns: 300 },
    );
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(0);
  });

  it('accepts arbitrary bytes correctly signed, plain or base64, and enqueues exactly the event they make', async () => {
    // Prepare
    const expectedIds = new Set<string>();
    // Act
    await fc.assert(
      fc.asyncProperty(anyProvider, fc.uint8Array({ maxLength: 2_000 }), fc.boolean(), async (provider, bytes, base64) => {
        const body = Buffer.from(bytes);
        const request = signed(provider.slug, body);
        const text = body.toString('utf8');
        const event = base64
          ? httpApiEvent({ path: `/webhooks/${provider.slug}`, headers: request.headers, body, base64: true })
          : httpApiEvent({ path: `/webhooks/${provider.slug}`, headers: request.headers, body: text });
        const answer = await receiver(provider)(event);
        if (!base64 && !Buffer.from(text, 'utf8').equals(body)) {
          // Not UTF-8: a plain-text event cannot carry these bytes (API Gateway base64-encodes them); what
          // arrived is other bytes, and a signature of the original must not match them. (Qikchat's Basic
          // credentials do not cover the body: it accepts the bytes that arrived.)
          expect(answer.status).toBe(provider.slug === 'qikchat' ? 200 : 401);
          if (answer.status === 200) expectedIds.add(normaliseDelivery(provider, { rawBody: Buffer.from(text), headers: request.headers, receivedAt: new Date() }).id);
          return;
        }
        expect(answer.status).toBe(200);
        expectGenericAnswer(answer);
        expectedIds.add(normaliseDelivery(provider, { rawBody: body, headers: request.headers, receivedAt: new Date() }).id);
      }),
      { numRuns: 120 },
    );
    // Assess: every distinct event once (identical bodies share an id and are deduplicated)
    const queued = new Set<string>();
    for (let round = 0; round < 50 && queued.size < expectedIds.size; round++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      for (const message of Messages) queued.add((JSON.parse(message.Body ?? '{}') as { id: string }).id);
      if (Messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queues.queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      }
    }
    expect(queued).toEqual(expectedIds);
  });
});
