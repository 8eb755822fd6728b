/**
 * Handlers run once per event id: real dynalite (in its own process) over the wire, real SQS (fauxqs) through the
 * local runtime, which drives the worker as Lambda's event source does.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCountingProxy } from '../../dev/cost/counting-proxy.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import type { EventHandlers } from '../../lib/handlers/types.js';
import { messageGroupId, serialiseEvent } from '../../lib/queue/enqueue.js';
import { MetricNames } from '../../lib/observability/names.js';
import { createLogger, createMetrics } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { createEventIdempotency, type EventIdempotency } from '../../lib/worker/idempotency.js';
import { WORKER_LOG } from '../../lib/worker/log-messages.js';
import { captureStdout } from '../support/capture-stdout.js';
import { cloudEvent } from '../support/events.js';
import { closedPort } from '../support/faulty-sqs.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { eventually, queueDepth, startTestRuntime } from '../support/local-runtime.js';
import { sqsRecord } from '../support/sqs-records.js';

const DAY_MS = 86_400_000;

/** A handler that counts its runs per event id, and fails while `failing` says so. */
function countingHandlers(failing: (id: string, run: number) => boolean = () => false) {
  const runs = new Map<string, number>();
  const handlers: EventHandlers = {
    'message.received': (event) => {
      const run = (runs.get(event.id) ?? 0) + 1;
      runs.set(event.id, run);
      if (failing(event.id, run)) throw new Error(`handler failure ${run} for ${event.id}`);
    },
  };
  return { runs, handlers };
}

/**
 * Sends `event` as a message of its own: `deduplicationId` other than the event id, as a copy after SQS's 5 minutes.
 * (fauxqs deduplicates across the whole queue: give every message its own.)
 */
async function enqueueCopy(runtime: LocalRuntime, event: WebhookEvent, deduplicationId: string): Promise<void> {
  await runtime.sqs.send(
    new SendMessageCommand({
      QueueUrl: runtime.queues.queueUrl,
      MessageBody: serialiseEvent(event),
      MessageGroupId: messageGroupId(event),
      MessageDeduplicationId: deduplicationId,
    }),
  );
}

const silent = () => new Logger({ logLevel: 'SILENT' });
const context = () => localLambdaContext('worker', 30_000);

describe('the worker with its idempotency records (dynalite)', () => {
  let store: TestIdempotencyStore;

  beforeAll(async () => {
    store = await startTestIdempotencyStore();
  });
  afterAll(() => store.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes one write per event: a consistent read of its record before the handler, the completed record after', async () => {
    // Prepare: a proxy in front of dynalite that sees each request
    const proxy = await startCountingProxy(store.endpoint);
    const { handlers } = countingHandlers();
    const idempotency = createEventIdempotency({ endpoint: proxy.endpoint, tableName: store.tableName, expiresAfterSeconds: 3_600 });
    const worker = createWorkerHandler({ logger: silent(), ...store.guards(), idempotency, handlers });
    const event = cloudEvent('one-write-1', 'conv-one-write');

    // Act: the event, then a copy of it
    await worker({ Records: [sqsRecord(event, 1)] }, context());
    const first = proxy.seen.splice(0).map((request) => request.operation);
    await worker({ Records: [sqsRecord(event, 2)] }, context());
    const copy = proxy.seen.splice(0).map((request) => request.operation);
    await proxy.stop();

    // Assess
    expect(first).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.UpdateItem']);
    expect(copy).toEqual(['DynamoDB_20120810.GetItem']);
  });

  it('runs two copies of an event in one batch once: the record read ahead for the batch serves the first copy only', async () => {
    // Prepare
    const { runs, handlers } = countingHandlers();
    const worker = createWorkerHandler({ logger: silent(), ...store.guards(), handlers });
    const event = cloudEvent('same-batch-1', 'conv-same-batch');

    // Act
    const response = await worker({ Records: [sqsRecord(event, 1), sqsRecord(event, 2)] }, context());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(runs.get(event.id)).toBe(1);
  });

  it('runs both copies of an id in flight in two message groups at once (other content), keeps the first record and says so at WARN', async () => {
    // Prepare: both handlers held until both copies have read that no record exists
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'WARN' }),
      ...store.guards(),
      handlers: {
        'message.received': async () => {
          runs++;
          if (runs === 2) release();
          await held;
        },
      },
    });
    const event = cloudEvent('two-groups-1', 'conv-group-a');
    const other = cloudEvent('two-groups-1', 'conv-group-b', 'other content');

    // Act
    let responses: unknown[] = [];
    const lines = await captureStdout(async () => {
      responses = await Promise.all([worker({ Records: [sqsRecord(event, 1)] }, context()), worker({ Records: [sqsRecord(other, 2)] }, context())]);
    }, { stderr: true });

    // Assess: neither is retried (both ran); the second to complete is reported with both digests
    expect(runs).toBe(2);
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    const warned = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.message === WORKER_LOG.ranBesideCopy);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 'WARN', eventId: event.id });
    expect(warned[0]?.handledDigest).not.toEqual(warned[0]?.copyDigest);
  });

  it('holds an event back while an in-progress record an earlier version wrote has not expired, then runs it', async () => {
    // Prepare: the record the two-write version put before its handler, as Powertools writes it
    const { runs, handlers } = countingHandlers();
    const worker = createWorkerHandler({ logger: silent(), ...store.guards(), handlers });
    const event = cloudEvent('earlier-version-1', 'conv-earlier');
    const key = `event#${createHash('sha256').update(JSON.stringify(event.id)).digest('base64')}`;
    const dynamodb = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const inProgressUntil = Date.now() + 60_000;
    await dynamodb.send(
      new PutItemCommand({
        TableName: store.tableName,
        Item: { id: { S: key }, status: { S: 'INPROGRESS' }, expiration: { N: String(Math.floor(Date.now() / 1000) + 3_600) }, in_progress_expiration: { N: String(inProgressUntil) } },
      }),
    );

    // Act
    const held = await worker({ Records: [sqsRecord(event, 1)] }, context());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(inProgressUntil + 1_000);
    const after = await worker({ Records: [sqsRecord(event, 2)] }, context());

    // Assess
    expect(held.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(after.batchItemFailures).toEqual([]);
    expect(runs.get(event.id)).toBe(1);
  });

  it('lets an event run again once its record has expired (7 days by default), and not before', async () => {
    // Prepare: the clock Powertools reads, moved forward
    const { runs, handlers } = countingHandlers();
    const guarded = createWorkerHandler({
      logger: silent(),
      ...store.guards(),
      idempotency: createEventIdempotency({ endpoint: store.endpoint, tableName: store.tableName, expiresAfterSeconds: 7 * 86_400 }),
      handlers,
    });
    const event = cloudEvent('expiry-1', 'conv-expiry');
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();

    // Act
    await guarded({ Records: [sqsRecord(event, 1)] }, context());
    vi.setSystemTime(start + 6 * DAY_MS);
    await guarded({ Records: [sqsRecord(event, 2)] }, context());
    const runsWithinWindow = runs.get(event.id);
    vi.setSystemTime(start + 7 * DAY_MS + 60_000);
    const after = await guarded({ Records: [sqsRecord(event, 3)] }, context());

    // Assess
    expect(runsWithinWindow).toBe(1);
    expect(after.batchItemFailures).toEqual([]);
    expect(runs.get(event.id)).toBe(2);
  });

  it('acknowledges a duplicate, logs it at INFO and counts it in DuplicateEvents, not in EventsProcessed', async () => {
    // Prepare
    const { runs, handlers } = countingHandlers();
    const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'INFO' }), metrics: createMetrics(), ...store.guards(), handlers });
    const event = cloudEvent('duplicate-1', 'conv-duplicate');
    await worker({ Records: [sqsRecord(event, 1)] }, context());

    // Act
    let failures: unknown[] = [];
    const lines = await captureStdout(async () => {
      failures = (await worker({ Records: [sqsRecord(event, 2)] }, context())).batchItemFailures;
    });

    // Assess
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(runs.get(event.id)).toBe(1);
    expect(failures).toEqual([]);
    const duplicateLine = entries.find((entry) => String(entry.message).startsWith('Event is a duplicate'));
    expect(duplicateLine).toMatchObject({ level: 'INFO', eventId: event.id, outcome: 'duplicate' });
    const metrics = entries.filter((entry) => '_aws' in entry);
    expect(metrics).toEqual([expect.objectContaining({ [MetricNames.duplicate]: 1 })]);
    expect(metrics[0]?.[MetricNames.processed]).toBeUndefined();
  });

  it('retries the event without running its handler when the record store cannot be reached', async () => {
    // Prepare
    const { runs, handlers } = countingHandlers();
    const idempotency: EventIdempotency = createEventIdempotency({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      tableName: store.tableName,
      expiresAfterSeconds: 3_600,
    });
    const worker = createWorkerHandler({ logger: silent(), ...store.guards(), idempotency, handlers });

    // Act
    const response = await worker({ Records: [sqsRecord(cloudEvent('store-down-1', 'conv-down'), 1)] }, context());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(runs.size).toBe(0);
  });
});

describe('the local runtime with its idempotency records (dynalite) and queues (fauxqs)', () => {
  const runtimes: LocalRuntime[] = [];
  const folders: string[] = [];

  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  async function start(options: Parameters<typeof startTestRuntime>[0]): Promise<LocalRuntime> {
    const runtime = await startTestRuntime(options);
    runtimes.push(runtime);
    return runtime;
  }

  async function stateFolder(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-state-'));
    folders.push(folder);
    return folder;
  }

  /** Waits until the queue holds nothing (processed or acknowledged). */
  const drained = (runtime: LocalRuntime) => eventually(async () => (await queueDepth(runtime.sqs, runtime.queues.queueUrl)) === 0);

  it('runs the handler once for the same event sent twice, more than SQS\'s 5 minutes apart (two deduplication ids)', async () => {
    // Prepare
    const { runs, handlers } = countingHandlers();
    const runtime = await start({ handlers });
    const event = cloudEvent('twice-1', 'conv-twice');

    // Act
    await enqueueCopy(runtime, event, 'first-delivery');
    await eventually(() => runtime.events().length === 1);
    await enqueueCopy(runtime, event, 'late-retry');
    await drained(runtime);

    // Assess: the copy was acknowledged, not failed or dead-lettered
    expect(runs.get(event.id)).toBe(1);
    expect(runtime.events().map((processed) => processed.id)).toEqual([event.id]);
    expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
  });

  it('runs the handler once for two copies of an event queued at once: their message group is never handed out twice at once', async () => {
    // Prepare: a slow handler, so that the second copy is queued while the first runs
    let runs = 0;
    const handlers: EventHandlers = {
      'message.received': async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
    };
    const runtime = await start({ handlers });
    const event = cloudEvent('at-once-1', 'conv-at-once');

    // Act
    await Promise.all([enqueueCopy(runtime, event, 'first-delivery'), enqueueCopy(runtime, event, 'same-moment-retry')]);
    await eventually(() => runtime.events().length === 1);
    await drained(runtime);

    // Assess
    expect(runs).toBe(1);
    expect(await queueDepth(runtime.sqs, runtime.queues.deadLetterQueueUrl)).toBe(0);
  });

  it('retries a failing handler, and once it completes a copy of the event does not run it again', async () => {
    // Prepare: the first attempt fails
    const { runs, handlers } = countingHandlers((_id, run) => run === 1);
    const runtime = await start({ handlers });
    const event = cloudEvent('retried-1', 'conv-retried');

    // Act
    await enqueueCopy(runtime, event, 'first-delivery');
    await eventually(() => runtime.events().length === 1);
    await enqueueCopy(runtime, event, 'late-retry');
    await drained(runtime);

    // Assess
    expect(runs.get(event.id)).toBe(2);
    expect(runtime.events()).toHaveLength(1);
  });

  it('leaves the event in the queue, unhandled, while the record store cannot be reached', async () => {
    // Prepare
    const { runs, handlers } = countingHandlers();
    const runtime = await start({ handlers, idempotency: { endpoint: `http://127.0.0.1:${await closedPort()}` } });
    const event = cloudEvent('store-down-2', 'conv-store-down');

    // Act: long enough for several attempts (the local visibility timeout is 3 s)
    await enqueueCopy(runtime, event, 'only-delivery');
    await new Promise((resolve) => setTimeout(resolve, 4_000));

    // Assess
    expect(runs.size).toBe(0);
    expect(runtime.events()).toHaveLength(0);
    expect(await queueDepth(runtime.sqs, runtime.queues.queueUrl)).toBe(1);
  });

  it('keeps idempotency records and queued events across a restart, and forgets them with fresh', async () => {
    // Prepare: a first run handles one event and cannot handle another, which stays queued
    const stateDir = await stateFolder();
    const handled = cloudEvent('restart-handled', 'conv-restart-a');
    const queued = cloudEvent('restart-queued', 'conv-restart-b');
    const first = countingHandlers((id) => id === queued.id);
    const before = await start({ stateDir, handlers: first.handlers });
    await enqueueCopy(before, handled, 'first-delivery');
    await enqueueCopy(before, queued, 'queued-delivery');
    await eventually(() => before.events().length === 1 && (first.runs.get(queued.id) ?? 0) >= 1);
    await before.stop();
    runtimes.splice(runtimes.indexOf(before), 1);

    // Act: restart on the same state; the handled event arrives again
    const second = countingHandlers();
    const after = await start({ stateDir, handlers: second.handlers });
    const urls = [after.queues.queueUrl, after.queues.deadLetterQueueUrl].map((url) => new URL(url).origin);
    await enqueueCopy(after, handled, 'late-retry');
    await eventually(() => after.events().some((event) => event.id === queued.id));
    await drained(after);
    await after.stop();
    runtimes.splice(runtimes.indexOf(after), 1);
    const third = countingHandlers();
    const fresh = await start({ stateDir, fresh: true, handlers: third.handlers });
    await enqueueCopy(fresh, handled, 'after-fresh');
    await eventually(() => fresh.events().length === 1);

    // Assess: the record survived (no second run), the queued event was still there; fresh forgot the record;
    // each run names the queues at its own address, not the first run's
    expect(second.runs.get(handled.id)).toBeUndefined();
    expect(second.runs.get(queued.id)).toBe(1);
    expect(third.runs.get(handled.id)).toBe(1);
    expect(third.runs.get(queued.id)).toBeUndefined();
    expect(urls).toEqual([after.sqsEndpoint, after.sqsEndpoint]);
  });
});
