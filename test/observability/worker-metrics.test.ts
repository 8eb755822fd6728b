import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { MetricNames } from '../../lib/observability/names.js';
import { createLogger, createMetrics } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { captureStdout } from '../support/capture-stdout.js';
import { cloudEvent } from '../support/events.js';
import { sqsRecord } from '../support/sqs-records.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';

/** An EMF document as the worker writes it: the directive, the dimension values, the metric values. */
type EmfDocument = { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] }; service?: string; provider?: string; type?: string } & Record<string, unknown>;

describe('worker metrics (EMF)', () => {
  let store: TestIdempotencyStore;
  beforeAll(async () => {
    store = await startTestIdempotencyStore();
  });
  afterAll(async () => {
    await store.stop();
  });

  it('counts by provider and type, each document also under {service} for the alarms, and writes no zero', async () => {
    // Prepare: two good events, one whose handler fails, and one message that is no event
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      metrics: createMetrics(),
      ...store.guards(),
      handlers: {
        'message.received': (event) => {
          if (event.id === 'bad') throw new Error('handler failure');
        },
      },
    });
    const records = [
      sqsRecord(cloudEvent('ok-1', 'conv-1'), 0),
      sqsRecord(cloudEvent('bad', 'conv-2'), 1),
      sqsRecord(cloudEvent('ok-2', 'conv-3'), 2),
      sqsRecord({ body: 'not an event', group: 'poison' }, 3),
    ];

    // Act
    let failures: string[] = [];
    const lines = await captureStdout(async () => {
      const response = await worker({ Records: records }, localLambdaContext('worker', 30_000));
      failures = response.batchItemFailures.map((failure) => failure.itemIdentifier);
    });

    // Assess
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfDocument);
    expect(failures.sort()).toEqual(['m-1', 'm-3']);
    expect(emf.map(({ _aws, service, provider, type, ...values }) => ({ dimensions: _aws.CloudWatchMetrics[0]?.Dimensions, service, provider, type, values }))).toEqual([
      { dimensions: [['service'], ['service', 'provider', 'type']], service: 'chat-webhook-gateway', provider: 'chatzuri', type: 'message.received', values: { [MetricNames.processed]: 2 } },
      { dimensions: [['service'], ['service', 'provider', 'type']], service: 'chat-webhook-gateway', provider: 'chatzuri', type: 'message.received', values: { [MetricNames.failed]: 1 } },
      { dimensions: [['service'], ['service', 'provider', 'type']], service: 'chat-webhook-gateway', provider: 'unknown', type: 'unknown', values: { [MetricNames.failed]: 1 } },
    ]);
  });

  it('writes no metric line for a batch where nothing was counted', async () => {
    // Prepare: a warm worker (its cold start published) and a batch with no message in it
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const metrics = createMetrics();
    vi.unstubAllEnvs();
    const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), metrics, ...store.guards(), handlers: {} });
    await captureStdout(() => worker({ Records: [] }, localLambdaContext('worker', 30_000)));

    // Act
    const lines = await captureStdout(() => worker({ Records: [] }, localLambdaContext('worker', 30_000)), { stderr: true });

    // Assess: no EMF document, and not Powertools' "No application metrics to publish" warning either
    expect(lines).toEqual([]);
  });
});

describe('the worker’s cold start', () => {
  it('publishes ColdStart with its init duration and memory, once', async () => {
    // Prepare: Powertools counts a cold start only where Lambda says the start was on demand
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const metrics = createMetrics();
    vi.unstubAllEnvs();

    // Act
    const lines = await captureStdout(async () => {
      metrics.captureColdStartMetric('worker');
      metrics.captureColdStartMetric('worker');
    });

    // Assess
    const documents = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ ColdStart: 1, function_name: 'worker' });
    expect(documents[0]?.InitDuration).toBeGreaterThan(0);
    expect(documents[0]?.MemoryUsed).toBeGreaterThan(0);
  });
});
