/**
 * The archive's format, in one place for the writer (the worker), the readers (replay, `/_local/archive`) and
 * the Glue table of the stack: gzip-compressed JSON Lines objects under `events/dt=YYYY-MM-DD/hour=HH/`, one line
 * per event; one object per batch when the worker puts it, one per buffer interval when Firehose delivers it.
 */
import * as z from 'zod';
import type { WebhookEvent } from '../events/schema.js';
import { redactEventData } from './redactions.js';

/** Where the archive's objects start in the bucket; the worker may put objects only under it. */
export const ARCHIVE_PREFIX = 'events/';

/** The variable naming the archive bucket in the worker's environment. */
export const ARCHIVE_BUCKET_VARIABLE = 'ARCHIVE_BUCKET';

/** The variable naming the Firehose stream the worker archives through; unset, it puts each batch to the bucket itself. */
export const ARCHIVE_DELIVERY_STREAM_VARIABLE = 'ARCHIVE_DELIVERY_STREAM';

/** How every archive object's name ends, whoever writes it (the worker, Firehose): Athena reads `.gz` by its name. */
export const ARCHIVE_FILE_EXTENSION = '.jsonl.gz';

/**
 * Firehose's prefix for the archive: the same `events/dt=YYYY-MM-DD/hour=HH/` folders, from the time (UTC) Firehose
 * took the oldest record of an object, so the Glue table's projection and the readers work unchanged.
 */
export const FIREHOSE_ARCHIVE_PREFIX = `${ARCHIVE_PREFIX}dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`;

/** Where Firehose puts records it could not deliver, outside the table's location; expired with the archive. */
export const ARCHIVE_ERROR_PREFIX = 'archive-errors/';

/** Firehose's error prefix (a prefix with expressions needs one, and it must name the error type). */
export const FIREHOSE_ERROR_PREFIX = `${ARCHIVE_ERROR_PREFIX}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/**
 * How far a line's partition may be from its `archived_at` (the worker's clock): Firehose names an object's folder
 * after the arrival of its oldest record, up to its buffer interval (at most 900 s) earlier, and its clock may be
 * a little ahead of the worker's. Readers widen the hours they list by these margins.
 */
export const ARCHIVE_PARTITION_SLACK = { beforeMs: 960_000, afterMs: 60_000 } as const;

/** One archived event: the columns Athena filters on, and the whole event as JSON text. */
export const ArchiveLineSchema = z.object({
  /** The CloudEvent's id; an event archived twice (a retried batch) has two lines with the same id. */
  id: z.string(),
  /** The CloudEvent's `time`. */
  event_time: z.string(),
  provider: z.string(),
  type: z.string(),
  /** `data.conversationId`; null when the event has none. */
  conversation: z.string().nullable(),
  /** When the worker archived it (the partition's date and hour). */
  archived_at: z.string(),
  /** The SQS FIFO sequence number: the queue's order within a message group. */
  sequence: z.string().nullable(),
  /** The CloudEvent as JSON text, with the credentials in its data redacted (`lib/archive/redactions.ts`). */
  event: z.string(),
  /**
   * A line that records what became of an event rather than its arrival: `skipped` (dropped from a parked
   * conversation by `npm run resume --skip`), `conflicting-duplicate` (its id was handled with other content, so
   * this copy was not run) or `media` (the event again, as its handler got it: with where its attachment's file was
   * stored, or why not). Absent on an arrival. Replay sends arrivals only, each with its latest `media` line's event.
   */
  mark: z.enum(['skipped', 'conflicting-duplicate', 'media']).optional(),
});
/** What a marked line records. */
export type ArchiveMark = NonNullable<ArchiveLine['mark']>;
export type ArchiveLine = z.infer<typeof ArchiveLineSchema>;

/** The Glue table's columns, in the order of {@link ArchiveLineSchema}; the event is JSON text for `json_extract`. */
export const ARCHIVE_COLUMNS = Object.keys(ArchiveLineSchema.shape) as (keyof ArchiveLine)[];

/** The table's partition keys: the UTC date and hour the batch was archived. */
export const ARCHIVE_PARTITION_KEYS = ['dt', 'hour'] as const;

/** The event as the archive keeps it: its `data` without credentials (`lib/archive/redactions.ts`). */
export function archivedEvent(event: WebhookEvent): WebhookEvent {
  return { ...event, data: redactEventData(event.data) } as WebhookEvent;
}

/** The archive line of one event. */
export function toArchiveLine(event: WebhookEvent, archivedAt: Date, sequence: string | undefined, mark?: ArchiveMark): ArchiveLine {
  return {
    id: event.id,
    event_time: event.time,
    provider: event.provider,
    type: event.type,
    conversation: event.data.conversationId,
    archived_at: archivedAt.toISOString(),
    sequence: sequence ?? null,
    // JSON.stringify writes the exact numbers of data.raw (JSON.rawJSON) verbatim.
    event: JSON.stringify(archivedEvent(event)),
    ...(mark ? { mark } : {}),
  };
}

/** The partition folder of an hour: `events/dt=2026-11-29/hour=07/`. */
export function partitionPrefix(hour: Date, prefix = ARCHIVE_PREFIX): string {
  const iso = hour.toISOString();
  return `${prefix}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
}

/** The object of one batch: its partition, then a name that sorts by time. */
export function archiveObjectKey(archivedAt: Date, batchId: string, prefix = ARCHIVE_PREFIX): string {
  const stamp = archivedAt.toISOString().replace(/[-:.]/g, '');
  return `${partitionPrefix(archivedAt, prefix)}${stamp}-${batchId}${ARCHIVE_FILE_EXTENSION}`;
}
