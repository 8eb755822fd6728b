/**
 * `npm run bench:archive [-- --json]`: what the archive costs per million deliveries through Firehose and through one
 * S3 `PutObject` per batch, from bytes measured on the wire. Every provider sample, normalised as the receivers do,
 * is archived by the worker's own `archiveBatch` through the Firehose stand-in (dev/fakes/firehose.ts) and straight to
 * the embedded S3: busy (batches of 10, the stack's batch size) and trickle (every event alone). Measured: the record
 * bytes of each PutRecordBatch call, Firehose's 5 KB-rounded billed bytes, and the gzip bytes stored either way.
 * Not part of `npm test`; all traffic on loopback.
 */
import { pathToFileURL } from 'node:url';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { goldenDelivery, goldenSamples } from '../dev/golden.js';
import { startEmbeddedS3 } from '../dev/fakes/archive-bucket.js';
import { startFirehoseStandIn } from '../dev/fakes/firehose.js';
import { billedBytes, FIREHOSE_BILLING_STEP_BYTES } from '../lib/archive/firehose.js';
import { createFirehoseClient } from '../lib/archive/firehose-client.js';
import { archiveBatch, type ArchiveEntry } from '../lib/archive/writer.js';
import { normaliseDelivery } from '../lib/normalise/normalise.js';
import { providers } from '../lib/providers/registry.js';
import { queueTopology } from '../lib/queue/topology.js';
import { formatNumber, table } from './lib/report.js';

/**
 * us-east-1 list prices. Firehose Direct PUT ingestion: $0.029 per GB for the first 500 TB a month, each record
 * rounded up to a multiple of 5 KB (https://aws.amazon.com/firehose/pricing/, read 2026-12-07); a GB is taken as
 * 10^9 bytes, the higher reading. S3 Standard PUT: $0.005 per 1,000 requests; storage $0.023 per GB-month.
 */
export const ARCHIVE_PRICES = { firehosePerGb: 0.029, s3PutPer1000: 0.005, s3StoragePerGbMonth: 0.023 } as const;

/** A realistic SQS FIFO sequence number: 20 digits, as every archive line carries one. */
const SEQUENCE = '18891234567890123456';

/** One traffic shape, measured. */
export interface ArchiveShape {
  readonly eventsPerBatch: number;
  readonly batches: number;
  readonly events: number;
  /** Mean bytes of one archive line (one event, JSON, newline included). */
  readonly bytesPerEvent: number;
  /** Mean bytes put to Firehose per batch (its records together). */
  readonly bytesPerBatch: number;
  readonly recordsPerBatch: number;
  /** Mean bytes Firehose bills per batch: each record rounded up to a multiple of 5 KB. */
  readonly billedBytesPerBatch: number;
  readonly billedBytesPerEvent: number;
  /** Mean gzip bytes stored per event: Firehose's objects (one per buffer), and one object per batch. */
  readonly storedBytesPerEvent: { readonly firehose: number; readonly s3: number };
  /** Dollars per million deliveries: Firehose ingestion, or the S3 PUTs of one object per batch. */
  readonly perMillion: { readonly firehose: number; readonly s3: number };
}

export interface ArchiveDeliveryMeasurement {
  readonly samples: number;
  readonly billingStepBytes: number;
  readonly prices: typeof ARCHIVE_PRICES;
  readonly busy: ArchiveShape;
  readonly trickle: ArchiveShape;
}

/** Every provider sample as the event its receiver makes of it. */
function sampleEntries(): ArchiveEntry[] {
  return providers.flatMap((provider) => goldenSamples(provider.slug).map(({ body }) => ({ event: normaliseDelivery(provider, goldenDelivery(provider, body)), sequence: SEQUENCE })));
}

async function objectBytes(s3: S3Client, bucket: string, keys: readonly string[]): Promise<number> {
  let total = 0;
  for (const key of keys) total += (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  return total;
}

async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Archives the samples in batches of `eventsPerBatch` both ways and measures what each costs. */
export async function measureArchiveDelivery(): Promise<ArchiveDeliveryMeasurement> {
  const entries = sampleEntries();
  const s3 = await startEmbeddedS3();
  // A buffer no run waits for: the objects are written by flush(), between the shapes.
  const standIn = await startFirehoseStandIn({ s3: s3.s3, bucket: s3.bucket, bufferIntervalMs: 3_600_000, bufferBytes: Number.MAX_SAFE_INTEGER });
  const firehose = createFirehoseClient({ endpoint: standIn.endpoint });
  const direct = { s3: s3.s3, bucket: s3.bucket, prefix: 'direct/' };
  const destination = { firehose, deliveryStream: standIn.deliveryStream, direct };
  try {
    const shape = async (eventsPerBatch: number): Promise<ArchiveShape> => {
      // Every sample once; the last batch filled from the start, so every batch has the same size.
      const batches: ArchiveEntry[][] = [];
      for (let start = 0; start < entries.length; start += eventsPerBatch) {
        batches.push(Array.from({ length: eventsPerBatch }, (_, index) => entries[(start + index) % entries.length]).filter((entry) => entry !== undefined));
      }
      const firstCall = standIn.calls.length;
      const firehoseBefore = await keysUnder(s3.s3, s3.bucket, 'events/');
      const s3Keys: string[] = [];
      for (const batch of batches) {
        await archiveBatch(destination, batch);
        const key = await archiveBatch(direct, batch);
        if (key) s3Keys.push(key);
      }
      await standIn.flush();
      const firehoseKeys = [...(await keysUnder(s3.s3, s3.bucket, 'events/'))].filter((key) => !firehoseBefore.has(key));
      const calls = standIn.calls.slice(firstCall);
      const records = calls.flatMap((call) => call.recordBytes);
      const events = batches.length * eventsPerBatch;
      const bytes = records.reduce((sum, size) => sum + size, 0);
      const billed = billedBytes(records.map((length) => ({ length })));
      return {
        eventsPerBatch,
        batches: batches.length,
        events,
        bytesPerEvent: bytes / events,
        bytesPerBatch: bytes / batches.length,
        recordsPerBatch: records.length / batches.length,
        billedBytesPerBatch: billed / batches.length,
        billedBytesPerEvent: billed / events,
        storedBytesPerEvent: {
          firehose: (await objectBytes(s3.s3, s3.bucket, firehoseKeys)) / events,
          s3: (await objectBytes(s3.s3, s3.bucket, s3Keys)) / events,
        },
        perMillion: {
          firehose: ((billed / events) * 1e6 * ARCHIVE_PRICES.firehosePerGb) / 1e9,
          s3: ((1e6 / eventsPerBatch) * ARCHIVE_PRICES.s3PutPer1000) / 1000,
        },
      };
    };
    return {
      samples: entries.length,
      billingStepBytes: FIREHOSE_BILLING_STEP_BYTES,
      prices: ARCHIVE_PRICES,
      busy: await shape(queueTopology.batchSize),
      trickle: await shape(1),
    };
  } finally {
    firehose.destroy();
    await standIn.stop();
    await s3.stop();
  }
}

/** The measurement as a Markdown table. */
export function archiveDeliveryTable(measured: ArchiveDeliveryMeasurement): string {
  const { busy, trickle } = measured;
  const row = (label: string, value: (shape: ArchiveShape) => string): string[] => [label, value(busy), value(trickle)];
  return table(
    ['Archive, per shape', `busy (batches of ${busy.eventsPerBatch})`, 'trickle (1 event a batch)'],
    [
      row('bytes per archived event (JSON line)', (shape) => formatNumber(shape.bytesPerEvent)),
      row('bytes put to Firehose per batch', (shape) => formatNumber(shape.bytesPerBatch)),
      row('Firehose records per batch', (shape) => formatNumber(shape.recordsPerBatch, 2)),
      row(`billed bytes per batch (records rounded up to ${formatNumber(measured.billingStepBytes)} B)`, (shape) => formatNumber(shape.billedBytesPerBatch)),
      row('billed bytes per event', (shape) => formatNumber(shape.billedBytesPerEvent)),
      row('gzip bytes stored per event: Firehose objects / one object per batch', (shape) => `${formatNumber(shape.storedBytesPerEvent.firehose)} / ${formatNumber(shape.storedBytesPerEvent.s3)}`),
      row(`$ per million deliveries: Firehose ingestion ($${measured.prices.firehosePerGb}/GB)`, (shape) => formatNumber(shape.perMillion.firehose, 3)),
      row(`$ per million deliveries: S3 PutObject per batch ($${measured.prices.s3PutPer1000}/1,000)`, (shape) => formatNumber(shape.perMillion.s3, 3)),
    ],
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const measured = await measureArchiveDelivery();
  if (process.argv.includes('--json')) console.log(JSON.stringify(measured, null, 2));
  else {
    console.log(`${measured.samples} provider samples, archived by the worker's archiveBatch through the Firehose stand-in and straight to S3 (loopback).\n`);
    console.log(archiveDeliveryTable(measured));
  }
}
