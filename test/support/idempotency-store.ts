/** A real idempotency record store for tests: dynalite in its own process, in memory, with the worker's table. */
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { createEventIdempotency, type EventIdempotency } from '../../lib/worker/idempotency.js';

export interface TestIdempotencyStore extends EmbeddedDynamoDb {
  /** A guard over this store; records expire after `expiresAfterSeconds` (default one hour). */
  idempotency(expiresAfterSeconds?: number): EventIdempotency;
}

/** Starts dynalite with the idempotency table; stop it in `afterAll`. */
export async function startTestIdempotencyStore(): Promise<TestIdempotencyStore> {
  const store = await startEmbeddedDynamoDb();
  return {
    ...store,
    idempotency: (expiresAfterSeconds = 3_600) =>
      createEventIdempotency({ endpoint: store.endpoint, tableName: store.tableName, expiresAfterSeconds }),
  };
}
