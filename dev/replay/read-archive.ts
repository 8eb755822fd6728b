/**
 * Reading the archive back (replay, `GET /_local/archive`): lists the batch objects of a time range in S3, reads
 * their lines, filters them, and orders the events as the queue had them, each event once.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ARCHIVE_FILE_EXTENSION, ARCHIVE_PARTITION_SLACK, ARCHIVE_PREFIX, ArchiveLineSchema, partitionPrefix, type ArchiveLine, type ArchiveMark } from '../../lib/archive/format.js';
import type { ArchiveStore } from '../../lib/archive/writer.js';
import { WebhookEventSchema, type WebhookEvent } from '../../lib/events/schema.js';
import { parseJsonExactly } from '../../lib/providers/kit/exact-json.js';

const decompress = promisify(gunzip);

/** Which archived events to select; every field narrows, none selects everything. */
export interface ArchiveQuery {
  /** Archived at or after (the partition's clock: when the worker took the batch). */
  readonly from?: Date | undefined;
  /** Archived before. */
  readonly to?: Date | undefined;
  readonly provider?: string | undefined;
  readonly type?: string | undefined;
  readonly conversation?: string | undefined;
  readonly id?: string | undefined;
  /** The oldest `limit` events only. */
  readonly limit?: number | undefined;
  /**
   * Select the lines that record what became of an event (`skipped`, `conflicting-duplicate`, `media`) instead of arrivals.
   * @default false: arrivals only (each with its latest `media` line's event: its stored media), what replay sends
   */
  readonly marked?: boolean | undefined;
}

/** A query the archive cannot answer; the message says which value and why. */
export class ArchiveQueryError extends Error {
  override readonly name: string = 'ArchiveQueryError';
}

/** One archived event, as read back. */
export interface ArchivedEvent {
  /** When the worker archived it. */
  readonly archivedAt: string;
  /** The batch object it was read from. */
  readonly object: string;
  /** The event, credentials redacted as the archive keeps it. */
  readonly event: WebhookEvent;
  /** On a marked line: what it records. */
  readonly mark?: ArchiveMark | undefined;
}

export interface ArchiveSelection {
  /** Distinct events, in the order the queue had them per conversation (archive order). */
  readonly events: ArchivedEvent[];
  /** Lines dropped because an earlier line held the same event id (a batch archived again on retry). */
  readonly duplicates: number;
  /** Lines that are no archive line, or no event of today's schema (archived by another version), left out. */
  readonly unreadable: number;
}

/** The most events `GET /_local/archive` answers with, and its default. */
const LIST_LIMIT = { default: 100, maximum: 10_000 } as const;

function isoDate(name: string, value: string | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ArchiveQueryError(`${name} must be an ISO 8601 time such as 2026-11-29T10:00:00Z, not "${value}"`);
  return date;
}

/** The query of `GET /_local/archive?conversation=&provider=&type=&id=&from=&to=&limit=&marked=true`. */
export function archiveQueryFromParameters(parameters: URLSearchParams): ArchiveQuery {
  const text = (name: string) => parameters.get(name) || undefined;
  const limitText = parameters.get('limit');
  const limit = limitText ? Number(limitText) : LIST_LIMIT.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT.maximum) {
    throw new ArchiveQueryError(`limit must be an integer from 1 to ${LIST_LIMIT.maximum}, not "${String(limitText)}"`);
  }
  return {
    from: isoDate('from', parameters.get('from')),
    to: isoDate('to', parameters.get('to')),
    provider: text('provider'),
    type: text('type'),
    conversation: text('conversation'),
    id: text('id'),
    limit,
    marked: parameters.get('marked') === 'true',
  };
}

/** The keys of the batch objects that may hold events archived in [from, to), oldest first (keys sort by time). */
async function listObjects(store: ArchiveStore, query: ArchiveQuery): Promise<string[]> {
  const prefix = store.prefix ?? ARCHIVE_PREFIX;
  // A key's partition names its hour: everything before the hour of `from`, or from the hour after `to`, is out,
  // widened by how far Firehose's partition of a line may be from its archived_at.
  const startAfter = query.from ? partitionPrefix(new Date(query.from.getTime() - ARCHIVE_PARTITION_SLACK.beforeMs), prefix) : undefined;
  const end = query.to ? partitionPrefix(new Date(query.to.getTime() + ARCHIVE_PARTITION_SLACK.afterMs + 3_600_000 - 1), prefix) + '\uffff' : undefined;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.s3.send(
      new ListObjectsV2Command({
        Bucket: store.bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
      }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith(ARCHIVE_FILE_EXTENSION)) continue;
      if (end !== undefined && object.Key > end) return keys;
      keys.push(object.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function readLines(store: ArchiveStore, key: string): Promise<(ArchiveLine | undefined)[]> {
  const object = await store.s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  const body = await object.Body?.transformToByteArray();
  if (!body) return [];
  const text = (await decompress(body)).toString('utf8');
  // A line that is not an archive line of this format reads as undefined: counted, not fatal.
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return ArchiveLineSchema.parse(JSON.parse(line));
      } catch {
        return undefined;
      }
    });
}

function matches(line: ArchiveLine, query: ArchiveQuery): boolean {
  const archivedAt = Date.parse(line.archived_at);
  return (
    (query.from === undefined || archivedAt >= query.from.getTime()) &&
    (query.to === undefined || archivedAt < query.to.getTime()) &&
    (query.provider === undefined || line.provider === query.provider) &&
    (query.type === undefined || line.type === query.type) &&
    (query.conversation === undefined || line.conversation === query.conversation) &&
    (query.id === undefined || line.id === query.id) &&
    (line.mark !== undefined) === (query.marked === true)
  );
}

/** Archive order: when archived, then the queue's sequence number (a conversation's order), then where. */
function compareArchived(a: { line: ArchiveLine; key: string; index: number }, b: { line: ArchiveLine; key: string; index: number }): number {
  if (a.line.archived_at !== b.line.archived_at) return a.line.archived_at < b.line.archived_at ? -1 : 1;
  if (a.line.sequence !== null && b.line.sequence !== null && a.line.sequence !== b.line.sequence) {
    return BigInt(a.line.sequence) < BigInt(b.line.sequence) ? -1 : 1;
  }
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.index - b.index;
}

/**
 * The archived events the query selects, each event id once (its first archiving), oldest first. Through Firehose,
 * the bucket holds a batch only after the stream's buffer interval: a local stand-in is flushed first.
 *
 * @throws the S3 client's error when the bucket cannot be listed or read
 */
export async function readArchive(store: ArchiveStore, query: ArchiveQuery = {}): Promise<ArchiveSelection> {
  await store.flush?.();
  const found: { line: ArchiveLine; key: string; index: number }[] = [];
  // The latest `media` line of each event: an arrival is read as its handler got it, with its stored media.
  const withMedia = new Map<string, { line: ArchiveLine; key: string; index: number }>();
  let unreadable = 0;
  for (const key of await listObjects(store, query)) {
    (await readLines(store, key)).forEach((line, index) => {
      if (line === undefined) unreadable++;
      else {
        if (line.mark === 'media' && !query.marked) {
          const entry = { line, key, index };
          const before = withMedia.get(line.id);
          if (!before || compareArchived(before, entry) < 0) withMedia.set(line.id, entry);
        }
        if (matches(line, query)) found.push({ line, key, index });
      }
    });
  }
  found.sort(compareArchived);

  const seen = new Set<string>();
  const events: ArchivedEvent[] = [];
  let duplicates = 0;
  for (const { line, key } of found) {
    // Marked lines each record something of their own: every one is kept.
    if (!line.mark && seen.has(line.id)) {
      duplicates++;
      continue;
    }
    seen.add(line.id);
    // Exactly: a number in data.raw that a double cannot hold keeps its digits through a replay.
    const parsed = WebhookEventSchema.safeParse(parseJsonExactly((line.mark ? undefined : withMedia.get(line.id)?.line.event) ?? line.event).value);
    if (!parsed.success) {
      unreadable++;
      continue;
    }
    events.push({ archivedAt: line.archived_at, object: key, event: parsed.data, ...(line.mark ? { mark: line.mark } : {}) });
    if (query.limit !== undefined && events.length >= query.limit) break;
  }
  return { events, duplicates, unreadable };
}
