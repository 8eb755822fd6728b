/**
 * Every receiver, wired for AWS as its Lambda is (`createAwsReceiverHandler` from its environment), cold, while
 * Secrets Manager or SQS misbehaves behind a loopback proxy: the answer always arrives before the providers'
 * deadline, and says the truth (5xx when the event is not known to be queued).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { providers } from '../../lib/providers/registry.js';
import { createAwsReceiverHandler } from '../../lib/receiver/aws.js';
import { captureStdout } from '../support/capture-stdout.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';
import { queueUrlAt } from '../../dev/fakes/queues.js';
import { startFaultySecretsManager, startFaultySqs, type FaultMode, type FaultyEndpoint } from '../support/faulty-sqs.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { queueDepth, signed, testSecrets } from '../support/local-runtime.js';
import { startSecretsManager, type SecretsManagerStandIn } from '../../dev/fakes/secrets-manager.js';

// The providers' deadline (Qikchat: 2 s). This is the requirement itself, not a speed measurement.
const PROVIDER_DEADLINE_MS = 2_000;
// Longer than a provider waits: an answer this late is as good as none.
const SLOW_MS = 3_000;

const secretArn = (slug: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:chat-webhook-gateway/${slug}-AbCdEf`;

describe('receivers wired for AWS, while Secrets Manager or SQS misbehaves', () => {
  let embedded: EmbeddedSqs;
  let secretsManager: SecretsManagerStandIn;
  let faultySqs: FaultyEndpoint;
  let faultySecrets: FaultyEndpoint;

  beforeAll(async () => {
    embedded = await startEmbeddedSqs();
    secretsManager = await startSecretsManager(new Map(providers.map((p) => [secretArn(p.slug), JSON.stringify({ current: testSecrets[p.slug] })])));
    faultySqs = await startFaultySqs(embedded.fauxqs.address);
    faultySecrets = await startFaultySecretsManager(secretsManager.endpoint);
  });
  afterEach(() => {
    faultySqs.mode = 'forward';
    faultySecrets.mode = 'forward';
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await faultySqs.close();
    await faultySecrets.close();
    await secretsManager.close();
    await embedded.stop();
  });

  type Receivers = ReadonlyMap<string, ReturnType<typeof createAwsReceiverHandler>>;

  /** A fresh (cold) receiver of each provider, wired from its environment as in Lambda. */
  function coldReceivers(): Receivers {
    // The SDK clients read their endpoints and credentials from the process environment, as in Lambda.
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', faultySqs.endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', faultySecrets.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    return new Map(
      providers.map((provider) => [
        provider.slug,
        // As in AWS, the queue URL's origin is the SQS endpoint: the SDK sends to the queue URL's host.
        createAwsReceiverHandler(provider, { QUEUE_URL: queueUrlAt(embedded.queues.queueUrl, faultySqs.endpoint), PROVIDER_SECRET_ARN: secretArn(provider.slug) }),
      ]),
    );
  }

  let deliveries = 0;
  /** A signed delivery POSTed at once to each receiver (fresh, cold ones unless given). */
  async function deliverToEveryReceiver(receivers: Receivers = coldReceivers()) {
    const answers: { slug: string; status: number | undefined; body: string | undefined; elapsedMs: number }[] = [];
    const lines = await captureStdout(() =>
      Promise.all(
        providers.map(async (provider) => {
          const handler = receivers.get(provider.slug);
          if (!handler) throw new Error(`no receiver for ${provider.slug}`);
          // A body of its own each time: a repeated one would be deduplicated by SQS and hide what was queued.
          const request = signed(provider.slug, JSON.stringify({ probe: `${provider.slug}-${++deliveries}` }));
          const event = httpApiEvent({ path: `/webhooks/${provider.slug}`, body: request.body, headers: request.headers });
          const started = performance.now();
          const answer = await handler(event, localLambdaContext(`${provider.slug}-receiver`, 5_000));
          answers.push({ slug: provider.slug, status: answer.statusCode, body: answer.body, elapsedMs: performance.now() - started });
        }),
      ),
      { stderr: true },
    );
    const logged = lines.filter((line) => line.includes('"level"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { answers, logged };
  }

  it('accepts every delivery when both are healthy (the setup works)', async () => {
    // Act
    const before = await queueDepth(embedded.sqs, embedded.queues.queueUrl);
    const { answers } = await deliverToEveryReceiver();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(providers.map(() => 200));
    expect(await queueDepth(embedded.sqs, embedded.queues.queueUrl)).toBe(before + providers.length);
  });

  it.each<FaultMode>(['hang', 'slow', 'refuse', 'error'])(
    'answers 500 before the deadline on a cold start when Secrets Manager is %s, and queues nothing',
    async (mode) => {
      // Prepare
      faultySecrets.mode = mode;
      faultySecrets.delayMs = SLOW_MS;
      const before = await queueDepth(embedded.sqs, embedded.queues.queueUrl);

      // Act
      const { answers, logged } = await deliverToEveryReceiver();

      // Assess
      for (const answer of answers) {
        expect(answer, answer.slug).toMatchObject({ status: 500, body: '{"message":"Internal Server Error"}' });
        expect(answer.elapsedMs, answer.slug).toBeLessThan(PROVIDER_DEADLINE_MS);
      }
      expect(faultySecrets.seen[mode]).toBeGreaterThan(0);
      expect(logged.filter((line) => line.reason === 'secret_unavailable')).toHaveLength(providers.length);
      expect(await queueDepth(embedded.sqs, embedded.queues.queueUrl)).toBe(before);
    },
  );

  it('accepts deliveries again once Secrets Manager answers again, without a new cold start', async () => {
    // Prepare: the cold start's fetch hangs
    faultySecrets.mode = 'hang';
    const receivers = coldReceivers();
    expect((await deliverToEveryReceiver(receivers)).answers.map((answer) => answer.status)).toEqual(providers.map(() => 500));

    // Act: Secrets Manager is back
    faultySecrets.mode = 'forward';
    const { answers } = await deliverToEveryReceiver(receivers);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(providers.map(() => 200));
  });

  it.each<FaultMode>(['hang', 'slow', 'refuse', 'error'])('answers 503 before the deadline when SQS is %s', async (mode) => {
    // Prepare
    faultySqs.mode = mode;
    faultySqs.delayMs = SLOW_MS;

    // Act
    const { answers, logged } = await deliverToEveryReceiver();

    // Assess
    for (const answer of answers) {
      expect(answer, answer.slug).toMatchObject({ status: 503, body: '{"message":"Service Unavailable"}' });
      expect(answer.elapsedMs, answer.slug).toBeLessThan(PROVIDER_DEADLINE_MS);
    }
    expect(faultySqs.seen[mode]).toBeGreaterThan(0);
    expect(logged.filter((line) => line.reason === 'enqueue_failed')).toHaveLength(providers.length);
  });

  // Regression: an attempt was given up after 600 ms and its retry was as slow, so an event SQS had stored was
  // answered 503 (and processed twice once the provider retried after the deduplication window).
  it('answers 200 when SQS stores the event but answers slower than usual (800 ms)', async () => {
    // Prepare
    faultySqs.mode = 'slow';
    faultySqs.delayMs = 800;
    const before = await queueDepth(embedded.sqs, embedded.queues.queueUrl);

    // Act
    const { answers } = await deliverToEveryReceiver();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(providers.map(() => 200));
    expect(await queueDepth(embedded.sqs, embedded.queues.queueUrl)).toBe(before + providers.length);
  });
});
