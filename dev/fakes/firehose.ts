/**
 * A small Amazon Data Firehose stand-in speaking its JSON protocol (AWS JSON 1.1) on a loopback port: enough for
 * `PutRecordBatch` and `PutRecord` of a Direct PUT stream to S3. It buffers the records as Firehose does and, after
 * the buffer interval (or when the buffer is full, or on `flush()`), writes them as one gzip object into a bucket
 * of the embedded S3, under the prefix's `!{timestamp:...}` folders evaluated at the oldest record's arrival, named
 * `<stream>-1-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>` as Firehose names its objects. Tests can refuse chosen records.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { FIREHOSE_LIMITS } from '../../lib/archive/firehose.js';
import { ARCHIVE_FILE_EXTENSION, FIREHOSE_ARCHIVE_PREFIX } from '../../lib/archive/format.js';

const compress = promisify(gzip);

/** The local archive stream's name. */
const LOCAL_DELIVERY_STREAM = 'chat-webhook-archive';

const TARGET_PREFIX = 'Firehose_20150804.';

const RecordSchema = z.object({ Data: z.base64() });
const PutRecordBatchSchema = z.object({ DeliveryStreamName: z.string(), Records: z.array(RecordSchema) });
const PutRecordSchema = z.object({ DeliveryStreamName: z.string(), Record: RecordSchema });

/** Thrown by the prefix evaluation for an expression Firehose would not accept (so a typo in the stack's prefix fails a test). */
export class FirehosePrefixError extends Error {
  override readonly name: string = 'FirehosePrefixError';
}

const PATTERN_LETTERS: Record<string, (at: Date) => string> = {
  yyyy: (at) => String(at.getUTCFullYear()).padStart(4, '0'),
  MM: (at) => String(at.getUTCMonth() + 1).padStart(2, '0'),
  dd: (at) => String(at.getUTCDate()).padStart(2, '0'),
  HH: (at) => String(at.getUTCHours()).padStart(2, '0'),
  mm: (at) => String(at.getUTCMinutes()).padStart(2, '0'),
  ss: (at) => String(at.getUTCSeconds()).padStart(2, '0'),
};

/** A Java DateTimeFormatter pattern, in UTC; the fields Firehose prefixes use here (yyyy MM dd HH mm ss, 'quoted' text). */
function formatTimestamp(pattern: string, at: Date): string {
  return pattern.replace(/'([^']*)'|([A-Za-z])\2*/g, (token: string, quoted: string | undefined) => {
    if (quoted !== undefined) return quoted;
    const format = PATTERN_LETTERS[token];
    if (!format) throw new FirehosePrefixError(`The timestamp pattern "${pattern}" has "${token}", which this stand-in does not know`);
    return format(at);
  });
}

/** A prefix with `!{timestamp:...}` and `!{firehose:random-string|error-output-type}` expressions, evaluated. */
export function evaluatePrefix(prefix: string, at: Date, errorOutputType?: string): string {
  return prefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (expression: string, namespace: string, value: string) => {
    if (namespace === 'timestamp') return formatTimestamp(value, at);
    if (namespace === 'firehose' && value === 'random-string') return randomUUID().slice(0, 11);
    if (namespace === 'firehose' && value === 'error-output-type' && errorOutputType) return errorOutputType;
    throw new FirehosePrefixError(`The prefix "${prefix}" has ${expression}, which this stand-in does not evaluate`);
  });
}

/** One PutRecordBatch or PutRecord call the stand-in answered. */
interface FirehoseCall {
  readonly operation: 'PutRecordBatch' | 'PutRecord';
  /** The size of each record sent, in bytes (decoded). */
  readonly recordBytes: number[];
  /** How many of them were refused. */
  readonly refused: number;
}

/** Says, for one record (its text and how many times a record of the same text was put before), whether to refuse it. */
type RecordRefusal = (data: string, earlierPuts: number) => boolean;

export interface FirehoseStandInOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default LOCAL_DELIVERY_STREAM */
  readonly deliveryStream?: string;
  /** @default FIREHOSE_ARCHIVE_PREFIX */
  readonly prefix?: string;
  /** @default ARCHIVE_FILE_EXTENSION */
  readonly fileExtension?: string;
  /** How long the oldest buffered record waits before the buffer is written. @default 1000 (Firehose: 0-900 s) */
  readonly bufferIntervalMs?: number;
  /** Buffered bytes that write the buffer at once. @default 5 MiB */
  readonly bufferBytes?: number;
}

export interface FirehoseStandIn {
  readonly endpoint: string;
  readonly deliveryStream: string;
  /** Every call answered, in order. */
  readonly calls: FirehoseCall[];
  /** Refuse the records the rule picks (with ServiceUnavailableException, as a partial failure); undefined takes all. */
  refuse(rule: RecordRefusal | undefined): void;
  /** Writes what the buffer holds now, and waits for every write under way. */
  flush(): Promise<void>;
  /** Flushes, then stops listening. */
  stop(): Promise<void>;
}

/**
 * Starts the stand-in on a free loopback port.
 *
 * @example const firehose = await startFirehoseStandIn({ s3, bucket }); new FirehoseClient({ endpoint: firehose.endpoint, ... })
 */
export async function startFirehoseStandIn(options: FirehoseStandInOptions): Promise<FirehoseStandIn> {
  const deliveryStream = options.deliveryStream ?? LOCAL_DELIVERY_STREAM;
  const prefix = options.prefix ?? FIREHOSE_ARCHIVE_PREFIX;
  const extension = options.fileExtension ?? ARCHIVE_FILE_EXTENSION;
  const intervalMs = options.bufferIntervalMs ?? 1_000;
  const bufferBytes = options.bufferBytes ?? 5 * 1024 * 1024;
  // Checked at start, as Firehose checks a stream's prefix when it is created.
  evaluatePrefix(prefix, new Date(), 'processing-failed');

  const calls: FirehoseCall[] = [];
  const putsOf = new Map<string, number>();
  let refusal: RecordRefusal | undefined;
  let buffer: { data: Buffer; arrival: Date }[] = [];
  let buffered = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  /** Writes the buffer as one object; records S3 does not take go back to the buffer, as Firehose retries them. */
  function deliver(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const taken = buffer;
    buffer = [];
    buffered = 0;
    if (taken.length === 0) return writing;
    const oldest = taken[0]?.arrival ?? new Date();
    const stamp = formatTimestamp('yyyy-MM-dd-HH-mm-ss', oldest);
    const key = `${evaluatePrefix(prefix, oldest)}${deliveryStream}-1-${stamp}-${randomUUID()}${extension}`;
    writing = writing.then(async () => {
      try {
        const body = await compress(Buffer.concat(taken.map((record) => record.data)));
        await options.s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: body, ContentType: 'application/gzip' }));
      } catch {
        buffer = [...taken, ...buffer];
        buffered += taken.reduce((sum, record) => sum + record.data.length, 0);
        schedule();
      }
    });
    return writing;
  }

  function schedule(): void {
    if (buffered >= bufferBytes) void deliver();
    else if (!timer && buffer.length > 0) timer = setTimeout(() => void deliver(), intervalMs);
  }

  /** Takes or refuses each record; answers as PutRecordBatch's entries. */
  function take(records: readonly Buffer[]): { RecordId?: string; ErrorCode?: string; ErrorMessage?: string }[] {
    const arrival = new Date();
    const entries = records.map((data) => {
      const text = data.toString('utf8');
      const earlier = putsOf.get(text) ?? 0;
      putsOf.set(text, earlier + 1);
      if (refusal?.(text, earlier)) return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      buffer.push({ data, arrival });
      buffered += data.length;
      return { RecordId: randomUUID() };
    });
    schedule();
    return entries;
  }

  function fail(res: ServerResponse, type: string, message: string): void {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: type, message }));
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (req.method !== 'POST' || (operation !== 'PutRecordBatch' && operation !== 'PutRecord')) {
      fail(res, 'UnknownOperationException', `This stand-in answers PutRecordBatch and PutRecord, not "${target}"`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      fail(res, 'SerializationException', 'The body is not JSON');
      return;
    }
    const parsed = operation === 'PutRecordBatch' ? PutRecordBatchSchema.safeParse(body) : PutRecordSchema.safeParse(body);
    if (!parsed.success) {
      fail(res, 'InvalidArgumentException', z.prettifyError(parsed.error));
      return;
    }
    if (parsed.data.DeliveryStreamName !== deliveryStream) {
      fail(res, 'ResourceNotFoundException', `Firehose ${parsed.data.DeliveryStreamName} under account 000000000000 not found.`);
      return;
    }
    const records = ('Records' in parsed.data ? parsed.data.Records : [parsed.data.Record]).map((record) => Buffer.from(record.Data, 'base64'));
    const total = records.reduce((sum, record) => sum + record.length, 0);
    const tooLarge = records.find((record) => record.length > FIREHOSE_LIMITS.recordBytes);
    if (records.length === 0 || records.length > FIREHOSE_LIMITS.requestRecords || total > FIREHOSE_LIMITS.requestBytes || tooLarge) {
      fail(res, 'InvalidArgumentException', `A request takes 1 to ${FIREHOSE_LIMITS.requestRecords} records of at most ${FIREHOSE_LIMITS.recordBytes} bytes, ${FIREHOSE_LIMITS.requestBytes} bytes in all`);
      return;
    }
    const entries = take(records);
    const refused = entries.filter((entry) => entry.ErrorCode !== undefined).length;
    calls.push({ operation, recordBytes: records.map((record) => record.length), refused });
    // PutRecord has no partial answer: a refused record is an error of the call.
    if (operation === 'PutRecord' && refused > 0) {
      fail(res, 'ServiceUnavailableException', 'Slow down.');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(operation === 'PutRecordBatch' ? { FailedPutCount: refused, Encrypted: false, RequestResponses: entries } : { RecordId: entries[0]?.RecordId, Encrypted: false }));
  }

  const server: Server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveryStream,
    calls,
    refuse(rule) {
      refusal = rule;
    },
    flush: deliver,
    async stop() {
      await deliver();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
