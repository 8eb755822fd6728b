/** A real idempotency record store and park store for tests: dynalite in its own process, in memory, with the worker's tables. */
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { createParkStore, type ParkStore } from '../../lib/parking/park-store.js';
import { localRetryPolicy, type RetryPolicy } from '../../lib/parking/retry-policy.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import type { WorkerQueue } from '../../lib/queue/worker-queue.js';
import { createEventIdempotency, type EventIdempotency } from '../../lib/worker/idempotency.js';

/** What the worker needs besides its handlers and logger. */
export interface WorkerGuards {
  readonly idempotency: EventIdempotency;
  readonly parkStore: ParkStore;
  readonly retry: RetryPolicy;
  readonly queue: WorkerQueue;
}

export interface TestIdempotencyStore extends EmbeddedDynamoDb {
  /** A guard over this store; records expire after `expiresAfterSeconds` (default one hour). */
  idempotency(expiresAfterSeconds?: number): EventIdempotency;
  /** The park store in the same dynalite. */
  parkStore(): ParkStore;
  /**
   * The worker's idempotency, park store and retry policy over this store. Without `queue`, its SQS calls (retry
   * delays, dead letters) go to a port where nothing listens: they fail, as a test of the worker alone wants.
   */
  guards(queue?: WorkerQueue): WorkerGuards;
}

/** Starts dynalite with the idempotency and park tables; stop it in `afterAll`. */
export async function startTestIdempotencyStore(): Promise<TestIdempotencyStore> {
  const store = await startEmbeddedDynamoDb();
  const idempotency = (expiresAfterSeconds = 3_600) => createEventIdempotency({ endpoint: store.endpoint, tableName: store.tableName, expiresAfterSeconds });
  const parkStore = () => createParkStore({ endpoint: store.endpoint, tableName: store.parkTableName });
  return {
    ...store,
    idempotency,
    parkStore,
    guards: (queue) => ({
      idempotency: idempotency(),
      parkStore: parkStore(),
      retry: localRetryPolicy,
      queue: queue ?? { sqs: createSqsClient({ endpoint: 'http://127.0.0.1:9' }), queueUrl: 'http://127.0.0.1:9/000000000000/none.fifo', deadLetterQueueUrl: 'http://127.0.0.1:9/000000000000/none-dlq.fifo' },
    }),
  };
}
