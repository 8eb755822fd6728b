import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { readArchive } from '../../dev/replay/read-archive.js';
import type { Media, WebhookEvent } from '../../lib/events/schema.js';
import { eventMedia, type MediaStoreOptions } from '../../lib/media/event-media.js';
import { LOOPBACK_ALLOWED } from '../../lib/net/outbound.js';
import { MetricNames } from '../../lib/observability/names.js';
import { createLogger, createMetrics } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { captureStdout } from '../support/capture-stdout.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore, type TestIdempotencyStore } from '../support/idempotency-store.js';
import { sqsRecord } from '../support/sqs-records.js';
import { startTestMediaServer, type TestMediaServer } from './media-server.js';

const FILE = Buffer.from('%PDF-1.4 an invoice');

function eventWithMedia(id: string, url: string): WebhookEvent {
  const event = cloudEvent(id, `conv-${id}`);
  if (event.type !== 'message.received') throw new Error('unexpected type');
  const media: Media = { id: 'f', url, mimeType: 'application/pdf', fileName: 'invoice.pdf', caption: null, sha256: null };
  return { ...event, data: { ...event.data, message: { id: 'm', type: 'document', text: null, media } } };
}

describe('the worker stores media before the handler runs, and the archive keeps where', () => {
  let s3: EmbeddedS3;
  let server: TestMediaServer;
  let idempotencyStore: TestIdempotencyStore;
  let media: MediaStoreOptions;

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    server = await startTestMediaServer();
    idempotencyStore = await startTestIdempotencyStore();
    server.routes.set('/invoice.pdf', (_request, response) => response.writeHead(200).end(FILE));
    media = { s3: s3.s3, bucket: s3.bucket, policy: LOOPBACK_ALLOWED, settings: { maxBytes: 1_000_000, timeLimitMs: 5_000, allowHosts: {} } };
  });
  afterAll(async () => {
    await server.stop();
    await s3.stop();
    await idempotencyStore.stop();
  });

  function worker(seen: WebhookEvent[]) {
    return createWorkerHandler({
      logger: createLogger({ logLevel: 'SILENT' }),
      ...idempotencyStore.guards(),
      archive: s3,
      media,
      handlers: { 'message.received': (event) => void seen.push(event) },
    });
  }

  it('hands the handler the event with stored; the archive reads it back so; a replay does not download again', async () => {
    // Prepare
    const seen: WebhookEvent[] = [];
    const event = eventWithMedia('wm-1', `${server.origin}/invoice.pdf`);

    // Act
    const response = await worker(seen)({ Records: [sqsRecord(event, 0)] }, localLambdaContext('worker', 60_000));

    // Assess: the handler got the stored file
    expect(response.batchItemFailures).toEqual([]);
    const stored = eventMedia(seen[0]!)?.stored;
    expect(stored).toMatchObject({ bucket: s3.bucket, size: FILE.length, sha256: createHash('sha256').update(FILE).digest('hex'), contentType: 'application/pdf' });
    // the archive: the arrival as received, and a media line; read back, the event carries stored
    const marked = await readArchive(s3, { id: event.id, marked: true });
    expect(marked.events.map((entry) => entry.mark)).toEqual(['media']);
    const archived = await readArchive(s3, { id: event.id });
    expect(eventMedia(archived.events[0]!.event)?.stored).toEqual(stored);

    // Act: a replay of the archived event (a new id, replayof the first)
    const downloads = server.requests.length;
    const replayed = { ...archived.events[0]!.event, id: 'wm-1-replay', replayof: event.id };
    await worker(seen)({ Records: [sqsRecord(replayed, 1)] }, localLambdaContext('worker', 60_000));

    // Assess: the same stored file, no new download, no new media line
    expect(eventMedia(seen[1]!)?.stored).toEqual(stored);
    expect(server.requests.length).toBe(downloads);
  });

  it('acknowledges a copy of a handled event without trying its file again: no download, no second media line', async () => {
    // Prepare: the event handled once, its file not had (the link had expired)
    const seen: WebhookEvent[] = [];
    const event = eventWithMedia('wm-copy', `${server.origin}/gone-copy.pdf`);
    await worker(seen)({ Records: [sqsRecord(event, 0)] }, localLambdaContext('worker', 60_000));
    const tries = server.requests.length;

    // Act: a provider's retry of it
    const copy = await worker(seen)({ Records: [sqsRecord(event, 1)] }, localLambdaContext('worker', 60_000));

    // Assess
    expect(copy.batchItemFailures).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(server.requests.length).toBe(tries);
    expect((await readArchive(s3, { id: event.id, marked: true })).events.map((entry) => entry.mark)).toEqual(['media']);
  });

  it('goes on with stored null and the reason when the file cannot be had, and a later copy is a duplicate, not a conflict', async () => {
    // Prepare
    const seen: WebhookEvent[] = [];
    const event = eventWithMedia('wm-2', `${server.origin}/expired.pdf`);

    // Act: the event, then a provider's retry of it
    const first = await worker(seen)({ Records: [sqsRecord(event, 0)] }, localLambdaContext('worker', 60_000));
    const second = await worker(seen)({ Records: [sqsRecord(event, 1)] }, localLambdaContext('worker', 60_000));

    // Assess
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(seen).toHaveLength(1);
    expect(eventMedia(seen[0]!)).toMatchObject({ url: `${server.origin}/expired.pdf`, stored: null, storeFailure: { reason: 'not_found' } });
    expect((await readArchive(s3, { marked: true })).events.filter((entry) => entry.mark === 'conflicting-duplicate')).toEqual([]);
  });

  it('publishes the files stored, their bytes, and the files not stored (EMF)', async () => {
    // Prepare: one file that is there, one that is not, one event without media
    const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), metrics: createMetrics(), ...idempotencyStore.guards(), archive: s3, media, handlers: {} });
    const records = [eventWithMedia('wm-m1', `${server.origin}/invoice.pdf`), eventWithMedia('wm-m2', `${server.origin}/missing.pdf`), cloudEvent('wm-m3', 'conv-m3')].map((event, index) => sqsRecord(event, index));

    // Act
    const lines = await captureStdout(async () => {
      await worker({ Records: records }, localLambdaContext('worker', 60_000));
    });

    // Assess
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf.find((line) => line[MetricNames.mediaStored] !== undefined)).toMatchObject({ [MetricNames.mediaStored]: 1, [MetricNames.mediaBytes]: FILE.length, [MetricNames.mediaFailed]: 1 });
  });

  it('writes no media metric for a batch without attachments (no zeros: the alarm reads no data as nothing failed)', async () => {
    // Prepare
    const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'SILENT' }), metrics: createMetrics(), ...idempotencyStore.guards(), archive: s3, media, handlers: {} });

    // Act
    const lines = await captureStdout(async () => {
      await worker({ Records: [sqsRecord(cloudEvent('wm-m4', 'conv-m4'), 0)] }, localLambdaContext('worker', 60_000));
    });

    // Assess
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf.length).toBeGreaterThan(0);
    for (const name of [MetricNames.mediaStored, MetricNames.mediaBytes, MetricNames.mediaFailed]) expect(emf.every((line) => !(name in line))).toBe(true);
  });

  it('defers the event when the invocation has no time left for its media and its handler', async () => {
    // Prepare: 26 s left: the reserve (5), around the handler (15), at least 10 for the handler after media: nothing left for media
    const seen: WebhookEvent[] = [];
    const event = eventWithMedia('wm-3', `${server.origin}/invoice.pdf`);

    // Act
    const response = await worker(seen)({ Records: [sqsRecord(event, 0)] }, localLambdaContext('worker', 26_000));

    // Assess: not run, comes back
    expect(seen).toEqual([]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
  });
});
