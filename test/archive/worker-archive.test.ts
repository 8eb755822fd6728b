import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { readArchive } from '../../dev/replay/read-archive.js';
import { createS3Client } from '../../lib/archive/s3-client.js';
import { ArchiveWriteError, archiveBatch } from '../../lib/archive/writer.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { closedPort, startFaultyS3 } from '../support/faulty-sqs.js';
import { sqsRecord } from '../support/sqs-records.js';

describe('the worker archives each batch before any handler runs', () => {
  let store: EmbeddedS3;
  let idempotencyStore: TestIdempotencyStore;
  beforeAll(async () => {
    store = await startEmbeddedS3();
    idempotencyStore = await startTestIdempotencyStore();
  });
  afterAll(async () => {
    await store.stop();
    await idempotencyStore.stop();
  });

  it('puts every event of a batch into the archive, then handles them', async () => {
    // Prepare: a handler that looks into the archive when it runs
    const seenInArchive: boolean[] = [];
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }), ...idempotencyStore.guards(),
      archive: store,
      handlers: {
        'message.received': async (event) => {
          const { events } = await readArchive(store, { id: event.id });
          seenInArchive.push(events.length === 1);
        },
      },
    });
    const events = [cloudEvent('w-1', 'conv-w'), cloudEvent('w-2', 'conv-w'), cloudEvent('w-3', null)];

    // Act
    const response = await worker({ Records: events.map((event, index) => sqsRecord(event, index)) }, localLambdaContext('worker', 30_000));

    // Assess: handled, each already archived when its handler ran, in batch order
    expect(response.batchItemFailures).toEqual([]);
    expect(seenInArchive).toEqual([true, true, true]);
    const archived = await readArchive(store, { conversation: 'conv-w' });
    expect(archived.events.map((entry) => entry.event.id)).toEqual(['w-1', 'w-2']);
  });

  it('fails the whole batch without running a handler when S3 is down, and handles it on the retry', async () => {
    // Prepare: a worker whose archive points at a closed port, and one pointing at the real server
    const handled: string[] = [];
    const handlers = { 'message.received': (event: WebhookEvent) => void handled.push(event.id) };
    const downS3 = createS3Client({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    const down = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), ...idempotencyStore.guards(), archive: { s3: downS3, bucket: store.bucket }, handlers });
    const up = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), ...idempotencyStore.guards(), archive: store, handlers });
    const records = [sqsRecord(cloudEvent('d-1', 'conv-d'), 0), sqsRecord(cloudEvent('d-2', 'conv-e'), 1)];

    // Act
    const first = await down({ Records: records }, localLambdaContext('worker', 30_000));
    const archivedWhileDown = await readArchive(store, { id: 'd-1' });
    const retry = await up({ Records: records }, localLambdaContext('worker', 30_000));

    // Assess
    expect(first.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-0', 'm-1']);
    expect(archivedWhileDown.events).toEqual([]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['d-1', 'd-2']);
    expect((await readArchive(store, { id: 'd-2' })).events).toHaveLength(1);
    downS3.destroy();
  });

  it('reads the park state while the archive write is in flight (one wait, not two), and runs no handler until both are done', async () => {
    // Prepare: an archive that never answers (the budget gives up on it after 2 s), a park store that counts its reads
    const hung = await startFaultyS3(store.endpoint, 'hang');
    const handled: string[] = [];
    const guards = idempotencyStore.guards();
    let parkReads = 0;
    const parkStore = { ...guards.parkStore, find: (...args: Parameters<typeof guards.parkStore.find>) => (parkReads++, guards.parkStore.find(...args)) };
    const hungS3 = createS3Client({ endpoint: hung.endpoint });
    const worker = createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      ...guards,
      parkStore,
      archive: { s3: hungS3, bucket: store.bucket },
      handlers: { 'message.received': (event: WebhookEvent) => void handled.push(event.id) },
    });
    const records = [sqsRecord(cloudEvent('p-1', 'conv-p'), 0)];

    // Act: 7 s to go leaves the archive 2 s before the worker's 5 s reserve
    const response = await worker({ Records: records }, localLambdaContext('worker', 7_000));

    // Assess: the park store was read although the archive never answered; nothing ran, the event comes back
    expect(hung.seen.hang).toBe(1);
    expect(parkReads).toBe(1);
    expect(handled).toEqual([]);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-0']);
    hungS3.destroy();
    await hung.close();
  });

  it('refuses to archive without a bucket (ARCHIVE_BUCKET unset), so the batch is retried rather than handled unarchived', async () => {
    await expect(archiveBatch({ s3: store.s3, bucket: '' }, [{ event: cloudEvent('no-bucket', null) }])).rejects.toBeInstanceOf(ArchiveWriteError);
  });

  it('reads an event archived twice (a retried batch) once, at its first archiving', async () => {
    // Prepare: the same event in two batches, the second with a failing handler's retry in mind
    const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), ...idempotencyStore.guards(), archive: store, handlers: {} });
    const record = sqsRecord(cloudEvent('twice', 'conv-twice'), 0);

    // Act
    await worker({ Records: [record] }, localLambdaContext('worker', 30_000));
    await worker({ Records: [record] }, localLambdaContext('worker', 30_000));
    const selection = await readArchive(store, { conversation: 'conv-twice' });

    // Assess
    expect(selection.events.map((entry) => entry.event.id)).toEqual(['twice']);
    expect(selection.duplicates).toBe(1);
  });

  it('leaves out, and counts, a line that is no archived event instead of failing the whole read', async () => {
    // Prepare: an object with one foreign line and one good line, in the archive's layout
    const good = JSON.stringify({ id: 'ok-line', event_time: '2026-11-29T10:00:00.000Z', provider: 'chatzuri', type: 'message.received', conversation: 'conv-odd', archived_at: '2026-11-29T10:00:00.000Z', sequence: null, event: JSON.stringify(cloudEvent('ok-line', 'conv-odd')) });
    await store.s3.send(
      new PutObjectCommand({ Bucket: store.bucket, Key: 'events/dt=2026-11-29/hour=10/odd.jsonl.gz', Body: gzipSync(`{"not":"a line"}\n${good}\n`) }),
    );

    // Act
    const selection = await readArchive(store, { from: new Date('2026-11-29T10:00:00Z'), to: new Date('2026-11-29T11:00:00Z') });

    // Assess
    expect(selection.events.map((entry) => entry.event.id)).toEqual(['ok-line']);
    expect(selection.unreadable).toBe(1);
  });
});
