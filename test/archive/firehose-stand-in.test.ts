import { gunzipSync } from 'node:zlib';
import { FirehoseClient, PutRecordBatchCommand, PutRecordCommand, ResourceNotFoundException, InvalidArgumentException } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../dev/fakes/archive-bucket.js';
import { evaluatePrefix, FirehosePrefixError, startFirehoseStandIn, type FirehoseStandIn } from '../../dev/fakes/firehose.js';
import { createFirehoseClient } from '../../lib/archive/firehose-client.js';
import { FirehoseRefusedError, FIREHOSE_LIMITS, packLines, putRecords, requestsOf } from '../../lib/archive/firehose.js';
import { FIREHOSE_ARCHIVE_PREFIX, FIREHOSE_ERROR_PREFIX, partitionPrefix } from '../../lib/archive/format.js';

describe('the Firehose stand-in, through @aws-sdk/client-firehose', () => {
  let s3: EmbeddedS3;
  let firehose: FirehoseStandIn;
  let client: FirehoseClient;
  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    // An interval no test waits for: objects appear on flush() only.
    firehose = await startFirehoseStandIn({ s3: s3.s3, bucket: s3.bucket, bufferIntervalMs: 600_000 });
    client = createFirehoseClient({ endpoint: firehose.endpoint });
  });
  afterEach(() => firehose.refuse(undefined));
  afterAll(async () => {
    client.destroy();
    await firehose.stop();
    await s3.stop();
  });

  async function objectsUnder(prefix: string): Promise<{ key: string; text: string }[]> {
    const listing = await s3.s3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return Promise.all(
      (listing.Contents ?? []).map(async ({ Key }) => {
        const object = await s3.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
        return { key: Key ?? '', text: gunzipSync(await object.Body!.transformToByteArray()).toString('utf8') };
      }),
    );
  }

  it('buffers the records of PutRecordBatch and PutRecord, then writes them as one gzip object in the dt=/hour= layout', async () => {
    // Prepare
    const before = new Date();
    const folder = partitionPrefix(before);

    // Act: two calls, then a look before the buffer is written, then after
    const batch = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: firehose.deliveryStream, Records: [{ Data: Buffer.from('{"n":1}\n') }, { Data: Buffer.from('{"n":2}\n') }] }));
    const single = await client.send(new PutRecordCommand({ DeliveryStreamName: firehose.deliveryStream, Record: { Data: Buffer.from('{"n":3}\n') } }));
    const beforeFlush = await objectsUnder(folder);
    await firehose.flush();
    const afterFlush = await objectsUnder(folder);

    // Assess: nothing until the buffer is written; then the records in order, concatenated as sent
    expect(batch.FailedPutCount).toBe(0);
    expect(batch.RequestResponses?.every((entry) => typeof entry.RecordId === 'string')).toBe(true);
    expect(single.RecordId).toEqual(expect.any(String));
    expect(beforeFlush).toEqual([]);
    expect(afterFlush).toHaveLength(1);
    expect(afterFlush[0]?.key).toMatch(/^events\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\/chat-webhook-archive-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{36}\.jsonl\.gz$/);
    expect(afterFlush[0]?.text).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('refuses the chosen records as a partial failure, and putRecords puts only those again', async () => {
    // Prepare: the record "b" is refused the first time it is put
    firehose.refuse((data, earlierPuts) => data.startsWith('b') && earlierPuts === 0);
    const calls = firehose.calls.length;

    // Act
    await putRecords({ firehose: client, deliveryStream: firehose.deliveryStream }, [Buffer.from('a-partial\n'), Buffer.from('b-partial\n'), Buffer.from('c-partial\n')]);
    await firehose.flush();

    // Assess: the second call carried the refused record only; each record is in the archive once
    expect(firehose.calls.slice(calls).map((call) => ({ records: call.recordBytes.length, refused: call.refused }))).toEqual([
      { records: 3, refused: 1 },
      { records: 1, refused: 0 },
    ]);
    const text = (await objectsUnder('events/')).map((object) => object.text).join('');
    expect(text.match(/-partial/g)).toHaveLength(3);
  });

  it('gives up with FirehoseRefusedError when a record stays refused, and when the signal ends the wait', async () => {
    // Prepare
    firehose.refuse((data) => data.startsWith('never'));
    const stream = { firehose: client, deliveryStream: firehose.deliveryStream };

    // Act / Assess: every round refused; a signal that ends during the pauses
    await expect(putRecords(stream, [Buffer.from('never-1\n'), Buffer.from('fine\n')])).rejects.toMatchObject({
      name: 'FirehoseRefusedError',
      refused: 1,
      errorCode: 'ServiceUnavailableException',
    });
    const ended = await putRecords(stream, [Buffer.from('never-2\n')], AbortSignal.timeout(50)).catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(FirehoseRefusedError);
    // Ended by the signal (its cause), not by running out of rounds
    expect((ended as FirehoseRefusedError).cause).toBeDefined();
  });

  it('answers an unknown stream and a request over the limits as Firehose does', async () => {
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'elsewhere', Records: [{ Data: Buffer.from('x') }] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const tooMany = Array.from({ length: FIREHOSE_LIMITS.requestRecords + 1 }, () => ({ Data: Buffer.from('x') }));
    await expect(client.send(new PutRecordBatchCommand({ DeliveryStreamName: firehose.deliveryStream, Records: tooMany }))).rejects.toBeInstanceOf(InvalidArgumentException);
  });
});

describe('the stack prefixes, evaluated as Firehose does', () => {
  it('gives the archive the folders the Glue table projects and the readers list', () => {
    const at = new Date('2026-12-07T03:59:59.999Z');
    expect(evaluatePrefix(FIREHOSE_ARCHIVE_PREFIX, at)).toBe(partitionPrefix(at));
    expect(evaluatePrefix(FIREHOSE_ERROR_PREFIX, at, 'processing-failed')).toBe('archive-errors/processing-failed/dt=2026-12-07/');
  });

  it('refuses an expression it does not know, so a typo in a prefix fails here', () => {
    expect(() => evaluatePrefix('events/!{timestamp:yyyy-WW}/', new Date())).toThrow(FirehosePrefixError);
    expect(() => evaluatePrefix('events/!{partitionKeyFromQuery:id}/', new Date())).toThrow(FirehosePrefixError);
  });
});

describe('packing lines into records', () => {
  it('keeps lines whole and in order, fills records up to the limit, and sets apart a line larger than any record', () => {
    // Prepare: lines of 40 bytes, records of 100
    const line = (n: number) => `${String(n).padStart(39, '0')}\n`;
    const lines = [line(1), line(2), line(3), 'x'.repeat(150), line(4)];

    // Act
    const { records, oversize } = packLines(lines, 100);

    // Assess
    expect(records.map((record) => record.toString())).toEqual([line(1) + line(2), line(3) + line(4)]);
    expect(oversize).toEqual(['x'.repeat(150)]);
  });

  it('splits records into requests of at most 500 records and 4 MiB', () => {
    const small = Array.from({ length: 1_001 }, () => Buffer.alloc(10));
    const large = Array.from({ length: 9 }, () => Buffer.alloc(FIREHOSE_LIMITS.recordBytes));
    expect(requestsOf(small).map((request) => request.length)).toEqual([500, 500, 1]);
    expect(requestsOf(large).map((request) => request.length)).toEqual([4, 4, 1]);
  });
});
