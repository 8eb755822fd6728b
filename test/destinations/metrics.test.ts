/**
 * The per-destination metrics, as EMF lines of the worker over a real endpoint: dimensions {service, destination},
 * the names the stack's alarms and dashboard read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { createDestinations } from '../../lib/destinations/destinations.js';
import { DestinationsSchema } from '../../lib/destinations/settings.js';
import { LOOPBACK_ALLOWED } from '../../lib/net/outbound.js';
import { METRICS_NAMESPACE, MetricNames } from '../../lib/observability/names.js';
import { createLogger, createMetrics } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { captureStdout } from '../support/capture-stdout.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { sqsRecord } from '../support/sqs-records.js';
import { TEST_SIGNING_SECRET } from './support.js';

interface EmfLine {
  readonly _aws?: { readonly CloudWatchMetrics: { readonly Namespace: string; readonly Dimensions: string[][]; readonly Metrics: { Name: string; Unit: string }[] }[] };
  readonly destination?: string;
  readonly [metric: string]: unknown;
}

describe('destination metrics (EMF)', () => {
  let store: TestIdempotencyStore;
  let endpoint: Server;
  let url: string;
  beforeAll(async () => {
    store = await startTestIdempotencyStore();
    // Accepts every event but the one whose id says otherwise.
    endpoint = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => response.writeHead(body.includes('"id":"bad"') ? 503 : 204).end());
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((endpoint.address() as AddressInfo).port)}/hook`;
  });
  afterAll(async () => {
    await store.stop();
    endpoint.closeAllConnections();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  });

  it('publishes delivered, failed, requests, latencies and the undelivered age, once per batch, by destination', async () => {
    // Prepare
    const logger = createLogger({ logLevel: 'SILENT' });
    const worker = createWorkerHandler({
      logger,
      ...store.guards(),
      handlers: {},
      destinations: createDestinations(DestinationsSchema.parse([{ type: 'https', name: 'crm', url }]), {
        secrets: { getSecrets: () => Promise.resolve({ secrets: [TEST_SIGNING_SECRET] }) },
        policy: LOOPBACK_ALLOWED,
        logger,
        metrics: (dimensions) => createMetrics(dimensions),
      }),
    });
    const records = [sqsRecord(cloudEvent('ok-1', 'conv-1'), 0), sqsRecord(cloudEvent('bad', 'conv-2'), 1), sqsRecord(cloudEvent('ok-2', 'conv-3'), 2)];

    // Act
    const lines = await captureStdout(() => worker({ Records: records }, localLambdaContext('worker', 30_000)));

    // Assess
    const emf = lines.map((line) => JSON.parse(line) as EmfLine).filter((line) => line.destination === 'crm');
    expect(emf).toHaveLength(1);
    const [line] = emf;
    expect(line?._aws?.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(line?._aws?.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'destination']]);
    expect(line?.[MetricNames.delivered]).toBe(2);
    expect(line?.[MetricNames.deliveryFailed]).toBe(1);
    expect(line?.[MetricNames.deliveryAttempts]).toBe(3);
    expect(line?.[MetricNames.deliveryLatency]).toHaveLength(3);
    expect(line?.[MetricNames.undeliveredAge]).toEqual(expect.any(Number));
  });
});
