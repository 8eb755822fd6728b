import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { startFirehoseStandIn, type FirehoseStandIn } from '../../dev/fakes/firehose.js';
import { readArchive } from '../../dev/replay/read-archive.js';
import { createFirehoseClient } from '../../lib/archive/firehose-client.js';
import { FIREHOSE_LIMITS } from '../../lib/archive/firehose.js';
import { ArchiveWriteError, archiveBatch, type ArchiveStore, type FirehoseArchiveStore } from '../../lib/archive/writer.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { sqsRecord } from '../support/sqs-records.js';

describe('the worker archives each batch through Firehose before any handler runs', () => {
  let s3: EmbeddedS3;
  let firehose: FirehoseStandIn;
  let idempotencyStore: TestIdempotencyStore;
  let destination: FirehoseArchiveStore;
  /** What the readers read: the bucket, with the stand-in's buffer flushed first. */
  let bucket: ArchiveStore;
  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    // An interval no test waits for: the bucket holds a batch once the buffer is flushed, by a read.
    firehose = await startFirehoseStandIn({ s3: s3.s3, bucket: s3.bucket, bufferIntervalMs: 600_000 });
    idempotencyStore = await startTestIdempotencyStore();
    bucket = { s3: s3.s3, bucket: s3.bucket, flush: () => firehose.flush() };
    destination = { firehose: createFirehoseClient({ endpoint: firehose.endpoint }), deliveryStream: firehose.deliveryStream, direct: bucket };
  });
  afterEach(() => firehose.refuse(undefined));
  afterAll(async () => {
    destination.firehose.destroy();
    await firehose.stop();
    await idempotencyStore.stop();
    await s3.stop();
  });

  const worker = (handlers: Parameters<typeof createWorkerHandler>[0]['handlers']) =>
    createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), ...idempotencyStore.guards(), archive: destination, handlers });

  it('puts the batch as one record, and each event is in the archive when its handler runs', async () => {
    // Prepare: a handler that reads the archive (as replay would, after the buffer) when it runs
    const seenInArchive: boolean[] = [];
    const handle = worker({
      'message.received': async (event) => {
        seenInArchive.push((await readArchive(bucket, { id: event.id })).events.length === 1);
      },
    });
    const events = [cloudEvent('f-1', 'conv-f'), cloudEvent('f-2', 'conv-f'), cloudEvent('f-3', null)];
    const calls = firehose.calls.length;

    // Act
    const response = await handle({ Records: events.map((event, index) => sqsRecord(event, index)) }, localLambdaContext('worker', 30_000));

    // Assess: one call of one record holding the three lines; read back in batch order from the same layout
    expect(response.batchItemFailures).toEqual([]);
    expect(seenInArchive).toEqual([true, true, true]);
    expect(firehose.calls.slice(calls).map((call) => call.recordBytes.length)).toEqual([1]);
    const archived = await readArchive(bucket, { conversation: 'conv-f' });
    expect(archived.events.map((entry) => entry.event.id)).toEqual(['f-1', 'f-2']);
    expect(archived.events[0]?.object).toMatch(/^events\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\/chat-webhook-archive-1-[\d-]+-[0-9a-f-]{36}\.jsonl\.gz$/);
    expect(archived.events[0]?.event.data).toEqual(events[0]?.data);
  });

  it('handles nothing of a batch Firehose refuses, and handles it when it comes back', async () => {
    // Prepare: Firehose refuses every record of the first attempts
    const handled: string[] = [];
    const handle = worker({ 'message.received': (event: WebhookEvent) => void handled.push(event.id) });
    const records = [sqsRecord(cloudEvent('r-1', 'conv-r'), 0), sqsRecord(cloudEvent('r-2', 'conv-s'), 1)];
    firehose.refuse(() => true);

    // Act
    const first = await handle({ Records: records }, localLambdaContext('worker', 30_000));
    const archivedWhileRefused = await readArchive(bucket, { id: 'r-1' });
    firehose.refuse(undefined);
    const retry = await handle({ Records: records }, localLambdaContext('worker', 30_000));

    // Assess
    expect(first.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-0', 'm-1']);
    expect(handled).toEqual(['r-1', 'r-2']);
    expect(archivedWhileRefused.events).toEqual([]);
    expect(retry.batchItemFailures).toEqual([]);
  });

  it('fails the batch when the budget ends before Firehose takes it', async () => {
    // Prepare: refused throughout, and a worker with little time left
    firehose.refuse(() => true);
    const handled: string[] = [];
    const handle = worker({ 'message.received': (event: WebhookEvent) => void handled.push(event.id) });
    const calls = firehose.calls.length;

    // Act: 300 ms of archive budget, where the five rounds of retries would take 1.5 s
    const response = await handle({ Records: [sqsRecord(cloudEvent('late-1', 'conv-late'), 0)] }, localLambdaContext('worker', 5_300));

    // Assess: given up within the budget, before the last round
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-0']);
    expect(handled).toEqual([]);
    expect(firehose.calls.length - calls).toBeLessThan(5);
  });

  it('puts a line larger than a Firehose record straight into the bucket, and the rest through Firehose', async () => {
    // Prepare: an event whose archive line exceeds 1,000 KiB, beside a small one
    const large = cloudEvent('big-1', 'conv-big', 'x'.repeat(FIREHOSE_LIMITS.recordBytes / 2 + 1));
    const small = cloudEvent('big-2', 'conv-big');

    // Act
    const key = await archiveBatch(destination, [{ event: large }, { event: small }]);
    const archived = await readArchive(bucket, { conversation: 'conv-big' });

    // Assess
    expect(key).toMatch(/^events\/dt=.*\.jsonl\.gz$/);
    expect(archived.events.map((entry) => entry.event.id).sort()).toEqual(['big-1', 'big-2']);
  });

  it('refuses to archive without a stream name, so the batch is retried rather than handled unarchived', async () => {
    await expect(archiveBatch({ ...destination, deliveryStream: '' }, [{ event: cloudEvent('no-stream', null) }])).rejects.toBeInstanceOf(ArchiveWriteError);
  });

  it('has written nothing of a batch until the buffer interval ends', async () => {
    // Prepare: what the bucket holds now, the buffer empty
    await firehose.flush();
    const listed = async () => (await s3.s3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'events/' }))).KeyCount ?? 0;
    const before = await listed();

    // Act: archived (Firehose took it), not yet delivered
    await archiveBatch(destination, [{ event: cloudEvent('pending-1', null) }]);
    const pending = await listed();
    await firehose.flush();

    // Assess
    expect(pending).toBe(before);
    expect(await listed()).toBe(before + 1);
  });
});
