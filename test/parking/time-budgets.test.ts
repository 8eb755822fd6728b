/**
 * Issue 20: every wait inside the worker fits its timeout. A stalled dependency takes its failure path (the records
 * come back from the queue) and the worker answers inside its time; a slow handler or a slow DynamoDB behaves
 * locally as in AWS: nothing dead-lettered, order kept.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { startEmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { createS3Client } from '../../lib/archive/s3-client.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { createParkStore } from '../../lib/parking/park-store.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { WORKER_BUDGET } from '../../lib/worker/budget.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { createEventIdempotency } from '../../lib/worker/idempotency.js';
import { cloudEvent } from '../support/events.js';
import { startFaultyDynamoDb, startFaultyS3, type FaultyEndpoint } from '../support/faulty-sqs.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { eventually, post, qikchatText, queueDepth, startTestRuntime } from '../support/local-runtime.js';
import { sqsRecord } from '../support/sqs-records.js';

const WORKER_TIMEOUT_MS = queueTopology.workerTimeoutSeconds * 1000;

describe.concurrent('a stalled dependency takes its failure path inside the worker\'s time', () => {
  let store: TestIdempotencyStore;
  let s3: EmbeddedS3;
  beforeAll(async () => {
    store = await startTestIdempotencyStore();
    s3 = await startEmbeddedS3();
  });
  afterAll(async () => {
    await store.stop();
    await s3.stop();
  });

  /** Runs one batch of two events against a worker built from `parts`; what ran, what failed, and the time left at the answer. */
  async function invoke(parts: Partial<Parameters<typeof createWorkerHandler>[0]>, name: string) {
    const ran: string[] = [];
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      ...store.guards(),
      archive: s3,
      handlers: { 'message.received': (event: WebhookEvent) => void ran.push(event.id) },
      ...parts,
    });
    const context = localLambdaContext('worker', WORKER_TIMEOUT_MS);
    const records = [sqsRecord(cloudEvent(`${name}-1`, `conv-${name}`), 1), sqsRecord(cloudEvent(`${name}-2`, `conv-${name}`), 2)];
    const response = await worker({ Records: records }, context);
    return { ran, failed: response.batchItemFailures.map((failure) => failure.itemIdentifier), left: context.getRemainingTimeInMillis() };
  }

  /** Each dependency of the worker, hung behind a proxy that accepts and never answers: the worker's part for it. */
  const hungDependencies: [string, () => Promise<FaultyEndpoint>, (endpoint: string) => Partial<Parameters<typeof createWorkerHandler>[0]>][] = [
    ['the archive write', () => startFaultyS3(s3.endpoint, 'hang'), (endpoint) => ({ archive: { s3: createS3Client({ endpoint }), bucket: s3.bucket } })],
    ['the park store', () => startFaultyDynamoDb(store.endpoint, 'hang'), (endpoint) => ({ parkStore: createParkStore({ endpoint, tableName: store.parkTableName }) })],
    [
      'the idempotency store (no handler runs unguarded)',
      () => startFaultyDynamoDb(store.endpoint, 'hang'),
      (endpoint) => ({ idempotency: createEventIdempotency({ endpoint, tableName: store.tableName, expiresAfterSeconds: 3_600 }) }),
    ],
  ];

  it.each(hungDependencies)('%s hung: no handler runs, both events come back, the worker answers in time', { timeout: 60_000 }, async (name, startHung, parts) => {
    // Prepare
    const hung = await startHung();
    try {
      // Act
      const result = await invoke(parts(hung.endpoint), name.split(' ')[1] ?? name);

      // Assess
      expect(result).toMatchObject({ ran: [], failed: ['m-1', 'm-2'] });
      expect(result.left).toBeGreaterThan(0);
    } finally {
      await hung.close();
    }
  });

  it('a hung handler: its run fails at the time limit, aborting its signal, and the rest of its conversation waits', { timeout: 60_000 }, async () => {
    // Prepare
    let aborted: unknown;
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      ...store.guards(),
      archive: s3,
      handlers: {
        // Never settles; it only notes the abort.
        'message.received': (_event, { signal }) =>
          new Promise<void>(() => {
            signal.addEventListener('abort', () => {
              aborted = signal.reason;
            });
          }),
      },
    });
    const context = localLambdaContext('worker', WORKER_TIMEOUT_MS);

    // Act
    const response = await worker({ Records: [sqsRecord(cloudEvent('hung-1', 'conv-hung'), 1), sqsRecord(cloudEvent('hung-2', 'conv-hung'), 2)] }, context);

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-1', 'm-2']);
    expect(String(aborted)).toContain(`time limit of ${String(WORKER_BUDGET.handlerMs)} ms`);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });
});

describe('locally, with AWS\'s proportions', () => {
  it('a 16 s handler: nothing dead-lettered, its conversation in order, each once', { timeout: 120_000 }, async () => {
    // Prepare
    const handled: string[] = [];
    const runtime = await startTestRuntime({
      handlers: {
        'message.received': async (event) => {
          if (event.data.message.text === 'slow') await sleep(16_000);
          handled.push(String(event.data.message.text));
        },
      },
    });
    try {
      // Act
      for (const text of ['slow', 'second', 'third']) expect((await post(runtime, qikchatText('6285555555', `S-${text}`, text))).status).toBe(200);
      await eventually(() => handled.length === 3, 60_000);
      await eventually(async () => (await queueDepth(runtime.sqs, runtime.queues.queueUrl)) === 0);

      // Assess
      expect(handled).toEqual(['slow', 'second', 'third']);
      expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
    } finally {
      await runtime.stop();
    }
  });

  it('2.5 s added to every DynamoDB call: nothing dead-lettered, order kept, each once', { timeout: 120_000 }, async () => {
    // Prepare: the idempotency records and the park store behind a proxy that answers every call 2.5 s late
    const dynamodb = await startEmbeddedDynamoDb();
    const slow = await startFaultyDynamoDb(dynamodb.endpoint, 'slow');
    slow.delayMs = 2_500;
    const handled: string[] = [];
    const runtime = await startTestRuntime({
      handlers: { 'message.received': (event) => void handled.push(String(event.data.message.text)) },
      idempotency: { endpoint: slow.endpoint, tableName: dynamodb.tableName },
      parkStoreEndpoint: slow.endpoint,
    });
    try {
      // Act
      for (const text of ['one', 'two', 'three']) expect((await post(runtime, qikchatText('6286666666', `D-${text}`, text))).status).toBe(200);
      await eventually(async () => handled.length === 3 && (await queueDepth(runtime.sqs, runtime.queues.queueUrl)) === 0, 90_000);

      // Assess
      expect(handled).toEqual(['one', 'two', 'three']);
      expect(slow.seen.slow).toBeGreaterThan(0);
      expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
    } finally {
      await runtime.stop();
      await slow.close();
      await dynamodb.stop();
    }
  });
});
