/**
 * Putting archive lines to an Amazon Data Firehose stream (Direct PUT), which buffers them and writes the gzip
 * objects into the archive bucket. Firehose bills each record in 5 KB steps, so whole lines are packed into as few
 * records as its limits allow, and only the records it refused are put again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { GatewayError } from '../events/errors.js';

/** PutRecordBatch's fixed limits: a record of at most 1,000 KiB, at most 500 records and 4 MiB a request. */
export const FIREHOSE_LIMITS = { recordBytes: 1_000 * 1024, requestRecords: 500, requestBytes: 4 * 1024 * 1024 } as const;

/** The step Firehose bills ingestion in: each record counts as a whole number of 5 KB. */
export const FIREHOSE_BILLING_STEP_BYTES = 5 * 1024;

/** Rounds of putting refused records again, and the first pause (doubled each round); the caller's signal bounds them too. */
const RETRY = { rounds: 5, firstPauseMs: 100 } as const;

/** A Firehose stream and a client for it. */
export interface FirehoseStream {
  readonly firehose: FirehoseClient;
  readonly deliveryStream: string;
}

/** Firehose did not take every record of a batch, after the retries its time allowed. */
export class FirehoseRefusedError extends GatewayError<'firehose_refused'> {
  override readonly name: string = 'FirehoseRefusedError';

  constructor(
    readonly refused: number,
    readonly errorCode: string,
    options?: ErrorOptions,
  ) {
    super('firehose_refused', `Firehose refused ${refused} records (${errorCode})`, options);
  }
}

/** The records of a batch's lines, and the lines too large for any record (they go to the bucket itself). */
export interface PackedLines {
  readonly records: Buffer[];
  readonly oversize: string[];
}

/**
 * Packs whole lines, in order, into records of at most {@link FIREHOSE_LIMITS.recordBytes}: Firehose concatenates
 * records as they are, so each line keeps its newline and a record never splits one.
 *
 * @example packLines(['{"id":"a"}\n', '{"id":"b"}\n']).records.length // 1
 */
export function packLines(lines: readonly string[], recordBytes: number = FIREHOSE_LIMITS.recordBytes): PackedLines {
  const records: Buffer[] = [];
  const oversize: string[] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    if (bytes.length > recordBytes) {
      oversize.push(line);
      continue;
    }
    if (size + bytes.length > recordBytes) {
      records.push(Buffer.concat(current));
      current = [];
      size = 0;
    }
    current.push(bytes);
    size += bytes.length;
  }
  if (current.length > 0) records.push(Buffer.concat(current));
  return { records, oversize };
}

/** Splits records into PutRecordBatch requests within its record and byte limits. */
export function requestsOf(records: readonly Buffer[]): Buffer[][] {
  const requests: Buffer[][] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const record of records) {
    if (current.length === FIREHOSE_LIMITS.requestRecords || size + record.length > FIREHOSE_LIMITS.requestBytes) {
      requests.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += record.length;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** The bytes Firehose bills for records: each rounded up to the next 5 KB. */
export function billedBytes(records: readonly { readonly length: number }[]): number {
  return records.reduce((sum, record) => sum + Math.ceil(record.length / FIREHOSE_BILLING_STEP_BYTES) * FIREHOSE_BILLING_STEP_BYTES, 0);
}

/**
 * Puts records to the stream and resolves once Firehose has taken every one. A record it refuses (its answer
 * carries an error code) is put again, alone with the other refused ones, after a pause; never one it took.
 *
 * @throws FirehoseRefusedError when records are still refused after the last round or when `signal` ends the wait
 * @throws the client's error when a request fails as a whole (the client has retried it already)
 */
export async function putRecords(stream: FirehoseStream, records: readonly Buffer[], signal?: AbortSignal): Promise<void> {
  for (const request of requestsOf(records)) {
    let pending = request;
    for (let round = 1; ; round++) {
      const answer = await stream.firehose.send(
        new PutRecordBatchCommand({ DeliveryStreamName: stream.deliveryStream, Records: pending.map((Data) => ({ Data })) }),
        { abortSignal: signal },
      );
      const entries = answer.RequestResponses ?? [];
      // An answer without an entry for a record proves nothing about it: it counts as refused.
      const refused = pending.filter((_, index) => entries[index]?.RecordId === undefined || entries[index].ErrorCode !== undefined);
      if (refused.length === 0) break;
      const errorCode = entries.find((entry) => entry.ErrorCode !== undefined)?.ErrorCode ?? 'NoRecordId';
      if (round === RETRY.rounds) throw new FirehoseRefusedError(refused.length, errorCode);
      try {
        await sleep(RETRY.firstPauseMs * 2 ** (round - 1), undefined, { signal });
      } catch (error) {
        throw new FirehoseRefusedError(refused.length, errorCode, { cause: error });
      }
      pending = refused;
    }
  }
}
