import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { closedPort, startFaultySqs, type FaultMode, type FaultyEndpoint } from '../support/faulty-sqs.js';
import { post, queueDepth, signedSample, startTestRuntime, waitForEvent } from '../support/local-runtime.js';

// The providers' deadline (Qikchat: 2 s). This is the requirement itself, not a speed measurement.
const PROVIDER_DEADLINE_MS = 2_000;

describe('a queue that hangs, refuses or fails', () => {
  let fauxqs: FauxqsServer;
  let faulty: FaultyEndpoint;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    // Prepare: an SQS server of our own (the runtime's SQS_ENDPOINT mode); receivers reach it through a
    // proxy we can break, while the worker polls it directly
    fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    faulty = await startFaultySqs(fauxqs.address);
    runtime = await startTestRuntime({ sqsEndpoint: fauxqs.address, receiverSqs: createSqsClient({ endpoint: faulty.endpoint }) });
  });
  afterAll(async () => {
    await runtime.stop();
    await faulty.close();
    await fauxqs.stop();
  });

  it.each<FaultMode>(['hang', 'refuse', 'error'])('answers 503 before the 2-second deadline when the queue is %s, and nothing is processed', async (mode) => {
    // Prepare
    faulty.mode = mode;
    const request = await signedSample('qikchat', 'message-text');

    // Act
    const started = performance.now();
    const answer = await post(runtime, request);
    const elapsed = performance.now() - started;

    // Assess
    expect(answer).toEqual({ status: 503, body: '{"message":"Service Unavailable"}' });
    expect(elapsed).toBeLessThan(PROVIDER_DEADLINE_MS);
    expect(faulty.seen[mode]).toBeGreaterThan(0);
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
    expect(runtime.events().some((event) => event.id === request.expected.id)).toBe(false);
  });

  it('accepts the next delivery once the queue is back', async () => {
    // Prepare: a failure first
    faulty.mode = 'error';
    const request = await signedSample('chatzuri', 'message-web');
    expect((await post(runtime, request)).status).toBe(503);

    // Act: the provider retries after the queue recovered
    faulty.mode = 'forward';
    const retry = await post(runtime, request);

    // Assess
    expect(retry.status).toBe(200);
    await waitForEvent(runtime, (event) => event.id === request.expected.id);
    expect(runtime.events().filter((event) => event.id === request.expected.id)).toHaveLength(1);
  });
});

describe('a queue endpoint nobody listens on', () => {
  it('answers 503 before the deadline', async () => {
    // Prepare
    const port = await closedPort();
    const runtime = await startTestRuntime({ receiverSqs: createSqsClient({ endpoint: `http://127.0.0.1:${port}` }) });
    try {
      const request = await signedSample('qiscus-sdk');

      // Act
      const started = performance.now();
      const answer = await post(runtime, request);

      // Assess
      expect(answer.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(PROVIDER_DEADLINE_MS);
      expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(0);
    } finally {
      await runtime.stop();
    }
  });
});
