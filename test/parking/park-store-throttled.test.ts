/**
 * The park store's batch read when DynamoDB leaves keys unprocessed (a throttled table): it asks again for those keys,
 * waiting longer each time, until every conversation is read. dynalite never leaves keys unprocessed, so a proxy in
 * front of it answers the first reads as a throttled table would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParkStore, unprocessedBackoffMs } from '../../lib/parking/park-store.js';
import { startFaultyDynamoDb, type FaultyEndpoint } from '../support/faulty-sqs.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { eventually } from '../support/local-runtime.js';

describe('park store: keys a batch read leaves unprocessed', () => {
  let store: TestIdempotencyStore;
  let proxy: FaultyEndpoint;
  beforeAll(async () => {
    store = await startTestIdempotencyStore();
    proxy = await startFaultyDynamoDb(store.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    await store.stop();
  });

  it('are asked for again until every conversation is read', async () => {
    // Prepare: one parked conversation among three, then a table that leaves every key unprocessed three times
    const direct = store.parkStore();
    await direct.open({ conversation: 'qikchat:throttled-1', provider: 'qikchat', conversationId: 'throttled-1', failingEventId: 'evt-1', error: 'boom', attempts: 5, parkedAt: new Date().toISOString() });
    const throughProxy = createParkStore({ endpoint: proxy.endpoint, tableName: store.parkTableName });
    proxy.mode = 'unprocessed';
    proxy.unprocessedLeft = 3;

    // Act
    const found = await throughProxy.find(['qikchat:throttled-1', 'qikchat:throttled-2', 'chatzuri:throttled-3']);

    // Assess: three answers with nothing read, then the table's own
    expect([...found.keys()]).toEqual(['qikchat:throttled-1']);
    expect(proxy.seen.unprocessed).toBe(3);
    expect(proxy.seen.forward).toBe(1);
    direct.destroy();
    throughProxy.destroy();
  });

  it('fail the read when its signal ends while it waits to ask again, as any store failure', async () => {
    // Prepare: a table that never reads them
    const throughProxy = createParkStore({ endpoint: proxy.endpoint, tableName: store.parkTableName });
    proxy.mode = 'unprocessed';
    proxy.unprocessedLeft = Number.POSITIVE_INFINITY;
    const before = proxy.seen.unprocessed;
    const budget = new AbortController();

    // Act: the step's time ends once the table has answered twice
    const read = throughProxy.find(['qikchat:never-read'], budget.signal);
    read.catch(() => undefined);
    await eventually(() => proxy.seen.unprocessed - before >= 2);
    budget.abort(new Error('the step is out of time'));

    // Assess: failed, after a few requests: asked again at once, a local table would have had dozens by the second answer's poll
    await expect(read).rejects.toMatchObject({ name: 'ParkStoreError', reason: 'park_store_failed' });
    expect(proxy.seen.unprocessed - before).toBeLessThan(10);
    proxy.mode = 'forward';
    throughProxy.destroy();
  });

  it('wait longer before each request, doubling from 25 ms to at most 400 ms', () => {
    // Act
    const waits = [1, 2, 3, 4, 5, 6, 10].map(unprocessedBackoffMs);

    // Assess
    expect(waits).toEqual([25, 50, 100, 200, 400, 400, 400]);
  });
});
