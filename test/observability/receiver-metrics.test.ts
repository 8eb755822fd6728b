import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import type { LocalQueues } from '../../dev/fakes/queues.js';
import { METRICS_NAMESPACE, MetricNames } from '../../lib/observability/names.js';
import { createEmfMetrics } from '../../lib/observability/emf.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import { captureStdout } from '../support/capture-stdout.js';
import { closedPort } from '../support/faulty-sqs.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { provider, signed } from '../support/local-runtime.js';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../dev/fakes/embedded-sqs.js';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** The EMF records among the captured lines, as {metric names, dimensions, values}. */
function emfRecords(lines: string[]): Emf[] {
  return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf);
}
const metricNames = (records: Emf[]) => records.flatMap((r) => r._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));

describe('receiver metrics (EMF)', () => {
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

  async function deliver(options: { body: string; headers: Record<string, string>; sqsClient?: SQSClient }) {
    const handler = createReceiverHandler({
      provider: provider('chatzuri'),
      logger: createLogger({ logLevel: 'SILENT' }),
      metrics: createEmfMetrics({ provider: 'chatzuri' }),
      secrets: { getSecrets: async () => ({ secrets: ['test-secret-chatzuri'] }) },
      queue: { sqs: options.sqsClient ?? sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: 'enforced',
    });
    let statusCode: number | undefined;
    const lines = await captureStdout(async () => {
      ({ statusCode } = await handler(httpApiEvent({ path: '/webhooks/chatzuri', body: options.body, headers: options.headers }), localLambdaContext('r', 5000)));
    });
    return { statusCode, records: emfRecords(lines) };
  }

  const body = JSON.stringify({ eventType: 'message.received', channel: 'web', agentId: 'a', payload: { message: 'metrics', conversationId: 'conv-m' } });

  it('counts an accepted delivery as received and enqueued, with its answer time, per provider', async () => {
    // Prepare
    const request = signed('chatzuri', body);

    // Act
    const { statusCode, records } = await deliver({ body, headers: request.headers });

    // Assess
    expect(statusCode).toBe(200);
    expect(metricNames(records)).toEqual(expect.arrayContaining([MetricNames.received, MetricNames.enqueued, MetricNames.answerTime]));
    expect(metricNames(records)).not.toContain(MetricNames.rejected);
    const main = records.find((r) => r[MetricNames.enqueued] !== undefined);
    expect(main).toMatchObject({ provider: 'chatzuri', service: 'chat-webhook-gateway', [MetricNames.enqueued]: 1 });
    expect(main?._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
  });

  it('counts a forged delivery as rejected, also by reason', async () => {
    // Act
    const { statusCode, records } = await deliver({ body, headers: { 'x-chatzuri-signature': '0'.repeat(40) } });

    // Assess
    expect(statusCode).toBe(401);
    const byReason = records.find((r) => r.reason !== undefined);
    expect(byReason).toMatchObject({ reason: 'signature_mismatch', provider: 'chatzuri', [MetricNames.rejected]: 1 });
    expect(records.some((r) => r.reason === undefined && r[MetricNames.rejected] === 1)).toBe(true);
    expect(metricNames(records)).not.toContain(MetricNames.enqueued);
  });

  it('counts an enqueue failure', async () => {
    // Prepare
    const request = signed('chatzuri', body);
    const broken = createSqsClient({ endpoint: `http://127.0.0.1:${await closedPort()}` });

    // Act
    const { statusCode, records } = await deliver({ body, headers: request.headers, sqsClient: broken });

    // Assess
    expect(statusCode).toBe(503);
    expect(records.some((r) => r[MetricNames.enqueueFailures] === 1)).toBe(true);
  });

  /** The `EnqueueDuration` declarations and values among the records. */
  function enqueueDurations(records: Emf[]) {
    const declared = records.flatMap((r) => r._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.filter((x) => x.Name === MetricNames.enqueueDuration)));
    const withValue = records.filter((r) => r[MetricNames.enqueueDuration] !== undefined);
    return { declared, withValue };
  }

  it.each([
    { outcome: 'accepted', statusCode: 200, queue: 'embedded' },
    { outcome: 'refused connection', statusCode: 503, queue: 'closed port' },
  ])('times the enqueue per provider, whatever its outcome: $outcome', async ({ statusCode: expected, queue }) => {
    // Prepare
    const request = signed('chatzuri', body);
    const sqsClient = queue === 'closed port' ? createSqsClient({ endpoint: `http://127.0.0.1:${await closedPort()}` }) : sqs;

    // Act
    const { statusCode, records } = await deliver({ body, headers: request.headers, sqsClient });

    // Assess
    expect(statusCode).toBe(expected);
    const { declared, withValue } = enqueueDurations(records);
    expect(declared).toEqual([{ Name: 'EnqueueDuration', Unit: 'Milliseconds' }]);
    expect(withValue).toHaveLength(1);
    const [record] = withValue;
    expect(record).toMatchObject({ provider: 'chatzuri', service: 'chat-webhook-gateway' });
    expect(record?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'provider']]);
    const value = record?.[MetricNames.enqueueDuration];
    expect(typeof value).toBe('number');
    expect(value).toBeGreaterThan(0);
  });

  it('publishes ColdStart once, on the first invocation of a handler, with the function name, its init duration and memory', async () => {
    // Prepare
    const handler = createReceiverHandler({
      provider: provider('chatzuri'),
      logger: createLogger({ logLevel: 'SILENT' }),
      metrics: createEmfMetrics({ provider: 'chatzuri' }),
      secrets: { getSecrets: async () => ({ secrets: ['test-secret-chatzuri'] }) },
      queue: { sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: 'enforced',
    });
    const invoke = () => handler(httpApiEvent({ path: '/webhooks/chatzuri', body, headers: {} }), localLambdaContext('r', 5000));

    // Act
    const first = emfRecords(await captureStdout(invoke));
    const second = emfRecords(await captureStdout(invoke));

    // Assess
    const coldStarts = first.filter((r) => r.ColdStart !== undefined);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({ ColdStart: 1, service: 'chat-webhook-gateway', provider: 'chatzuri', function_name: localLambdaContext('r', 5000).functionName });
    expect(coldStarts[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'provider', 'function_name']]);
    expect(coldStarts[0]?.InitDuration).toBeGreaterThan(0);
    expect(coldStarts[0]?.MemoryUsed).toBeGreaterThan(0);
    expect(second.filter((r) => r.ColdStart !== undefined)).toEqual([]);
    // Every document is valid EMF: each declared metric has its value at the top level.
    for (const record of [...first, ...second]) {
      for (const metric of record._aws.CloudWatchMetrics.flatMap((m) => m.Metrics)) expect(record[metric.Name], metric.Name).toBeDefined();
    }
  });

  it('does not time an enqueue that never happened (a forged delivery)', async () => {
    // Act
    const { statusCode, records } = await deliver({ body, headers: { 'x-chatzuri-signature': '0'.repeat(40) } });

    // Assess
    expect(statusCode).toBe(401);
    expect(enqueueDurations(records).withValue).toEqual([]);
  });
});
