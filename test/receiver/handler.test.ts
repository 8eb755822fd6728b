import { Logger } from '@aws-lambda-powertools/logger';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import type { LocalQueues } from '../../dev/fakes/queues.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import type { VerificationMode } from '../../lib/receiver/verification-mode.js';
import type { SecretSource } from '../../lib/secrets/types.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { provider, queueDepth, signed } from '../support/local-runtime.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';

const logger = new Logger({ logLevel: 'SILENT' });
const secretsOf = (...secrets: string[]): SecretSource => ({ getSecrets: async () => ({ secrets }) });

describe('the receiver handler', () => {
  let embedded: EmbeddedSqs;
  let sqs: SQSClient;
  let queues: LocalQueues;

  beforeAll(async () => {
    embedded = await startEmbeddedSqs();
    ({ sqs, queues } = embedded);
  });
  afterAll(async () => {
    await embedded.stop();
  });

  function receiver(options: { secrets?: SecretSource; queueUrl?: string; verification?: VerificationMode } = {}) {
    const handler = createReceiverHandler({
      provider: provider('chatzuri'),
      logger,
      secrets: options.secrets ?? secretsOf('test-secret-chatzuri'),
      queue: { sqs, queueUrl: options.queueUrl ?? queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: options.verification ?? 'enforced',
    });
    return (event: ReturnType<typeof httpApiEvent>) => handler(event, localLambdaContext('receiver', 5_000));
  }

  const body = (text: string) => JSON.stringify({ eventType: 'message.received', channel: 'web', agentId: 'a', payload: { message: text, conversationId: `conv-${text}` } });

  it('accepts a signed delivery with exactly {"status":"accepted"} once it is in the queue', async () => {
    // Prepare
    const request = signed('chatzuri', body('hello'));
    const before = await queueDepth(sqs, queues.queueUrl);

    // Act
    const answer = await receiver()(httpApiEvent({ path: '/webhooks/chatzuri', body: request.body, headers: request.headers }));

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, body: '{"status":"accepted"}' });
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(before + 1);
  });

  it('queues the CloudEvent as the whole message: its body, no message attributes', async () => {
    // Prepare
    const request = signed('chatzuri', body('whole-message'));

    // Act
    await receiver()(httpApiEvent({ path: '/webhooks/chatzuri', body: request.body, headers: request.headers }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );

    // Assess
    const message = Messages.find((candidate) => candidate.Body?.includes('conv-whole-message'));
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({ specversion: '1.0', provider: 'chatzuri', type: 'message.received' });
    expect(message?.MessageAttributes ?? {}).toEqual({});
  });

  it('verifies the decoded bytes of a base64-encoded body', async () => {
    // Prepare
    const request = signed('chatzuri', body('base64'));

    // Act
    const answer = await receiver()(httpApiEvent({ path: '/webhooks/chatzuri/anything', body: request.body, headers: request.headers, base64: true }));

    // Assess
    expect(answer.statusCode).toBe(200);
  });

  it.each([
    ['a wrong signature', { 'x-chatzuri-signature': 'f'.repeat(40) }],
    ['no signature', {}],
  ])('answers a generic 401 to %s and queues nothing', async (_case, headers) => {
    // Prepare
    const before = await queueDepth(sqs, queues.queueUrl);

    // Act
    const answer = await receiver()(httpApiEvent({ path: '/webhooks/chatzuri', body: body('forged'), headers }));

    // Assess
    expect(answer).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(await queueDepth(sqs, queues.queueUrl)).toBe(before);
  });

  it('answers 413 to a body over the queue message limit, before verifying it', async () => {
    // Prepare
    const huge = 'x'.repeat(localQueueTopology.maximumMessageSizeBytes + 1);

    // Act
    const answer = await receiver({ secrets: { getSecrets: () => Promise.reject(new Error('must not be asked')) } })(
      httpApiEvent({ path: '/webhooks/chatzuri', body: huge }),
    );

    // Assess
    expect(answer).toMatchObject({ statusCode: 413, body: '{"message":"Payload Too Large"}' });
  });

  it('answers 413 when the body fits but the event made of it would not', async () => {
    // Prepare: a body just under the limit whose event (body + envelope) is over it
    const text = 'y'.repeat(localQueueTopology.maximumMessageSizeBytes - 200);
    const request = signed('chatzuri', JSON.stringify({ eventType: 'message.received', payload: { message: text } }));

    // Act
    const answer = await receiver()(httpApiEvent({ path: '/webhooks/chatzuri', body: request.body, headers: request.headers }));

    // Assess
    expect(answer.statusCode).toBe(413);
  });

  it('answers 404 for a path of another provider and 405 for a method other than POST', async () => {
    // Act
    const wrongPath = await receiver()(httpApiEvent({ path: '/webhooks/qikchat', body: '{}' }));
    const wrongMethod = await receiver()(httpApiEvent({ path: '/webhooks/chatzuri', method: 'GET' }));

    // Assess
    expect(wrongPath.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(405);
  });

  it.each([
    ['no queue is configured', { queueUrl: '' }],
    ['no secret is configured (fail closed)', { secrets: secretsOf() }],
    ['the secret cannot be read', { secrets: { getSecrets: () => Promise.reject(new Error('AccessDenied: arn:aws:secretsmanager:...')) } }],
  ])('answers a generic 500 when %s', async (_case, options) => {
    // Prepare
    const request = signed('chatzuri', body('misconfigured'));

    // Act
    const answer = await receiver(options)(httpApiEvent({ path: '/webhooks/chatzuri', body: request.body, headers: request.headers }));

    // Assess
    expect(answer).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
  });

  it('accepts an unsigned delivery only when verification was explicitly disabled', async () => {
    // Prepare
    const unsigned = httpApiEvent({ path: '/webhooks/chatzuri', body: body('unsigned') });

    // Act
    const enforced = await receiver()(unsigned);
    const disabled = await receiver({ verification: 'disabled', secrets: secretsOf() })(unsigned);

    // Assess
    expect(enforced.statusCode).toBe(401);
    expect(disabled.statusCode).toBe(200);
  });
});
