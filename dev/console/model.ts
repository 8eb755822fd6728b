/**
 * What the console shows, shared by the recorder (server) and the page (browser): the entries of the live list,
 * their details, the filter and the small formatting rules. Imports nothing that needs Node.js.
 */
import type { Media } from '../../lib/events/schema.js';
import type { ParkedListing } from '../../lib/parking/types.js';
import { redactHeaders as redactCredentialHeaders } from '../../lib/observability/redact.js';

/**
 * Where an accepted event stands in the worker. `parked`: kept in the park store with its conversation until resumed;
 * `skipped`: dropped on a resume instead of run (its handler never ran).
 */
type EventOutcome = 'queued' | 'processed' | 'retrying' | 'parked' | 'skipped' | 'dead-lettered';
/** A delivery's answer: accepted (200) or rejected (any other status). */
type DeliveryOutcome = 'accepted' | 'rejected';
export type Outcome = EventOutcome | DeliveryOutcome;

/** Every outcome the filter offers, in the order a delivery goes through them. */
export const OUTCOMES: readonly Outcome[] = ['accepted', 'rejected', 'queued', 'processed', 'retrying', 'parked', 'skipped', 'dead-lettered'];

interface EntryBase {
  /** Unique in the console: `d<n>` for a delivery, `e:<event id>` for an event. */
  readonly id: string;
  /** Order of first appearance: higher is newer. */
  readonly seq: number;
  /** When it was first seen (ISO). */
  readonly at: string;
  readonly provider?: string | undefined;
  readonly type?: string | undefined;
  /** The conversation id when known, else the digest the log lines carry. */
  readonly conversation?: string | undefined;
  /** The first 16 hex digits of the SHA-256 of the conversation id, as in the log lines. */
  readonly conversationDigest?: string | undefined;
  readonly eventId?: string | undefined;
}

/** One HTTP request to a receiver (or refused by the server before one). */
export interface DeliveryEntry extends EntryBase {
  readonly kind: 'delivery';
  readonly outcome: DeliveryOutcome;
  readonly status: number;
  /** Why it was rejected, as the receiver logged it (never in the answer). */
  readonly reason?: string | undefined;
  /** The receiver's answer time. */
  readonly ms?: number | undefined;
}

/**
 * How the worker was done with a processed event: `handled` by the handler registered for its type; `no handler`
 * registered, so only logged (at DEBUG); a `duplicate` of an event handled before (in this run or an earlier one),
 * acknowledged without running; a `conflicting-duplicate`, its id handled before with other content: not run.
 */
export type HowDone = 'handled' | 'no handler' | 'duplicate' | 'conflicting-duplicate';

/** One event the worker received, with the latest of its attempts. */
export interface EventEntry extends EntryBase {
  readonly kind: 'event';
  readonly outcome: EventOutcome;
  readonly attempts: number;
  /** When processed: how. */
  readonly done?: HowDone | undefined;
}

export type ConsoleEntry = DeliveryEntry | EventEntry;

/** One invocation of the worker on an event. */
export interface Attempt {
  readonly at: string;
  /** SQS's receive count: 1 on the first attempt; none for a run of a resume (from the park store). */
  readonly receiveCount?: number | undefined;
  /**
   * `held back`: not run because an earlier event of its conversation failed in the same batch. `deferred`: not run
   * now (no time left, another run in progress, the idempotency store away), retried soon; `error` says why.
   * `parked`: kept in the park store (with `error` when it is the event whose failures parked its conversation).
   */
  readonly outcome: 'processed' | 'failed' | 'held back' | 'deferred' | 'parked';
  readonly error?: string | undefined;
  readonly ms: number;
}

/** The request as the receiver got it: credentials redacted, the body as sent. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text, or base64 when it is not UTF-8. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** The body's size as received, in bytes. */
  readonly bodyBytes: number;
  /** Set when only the start of the body is kept (a rejected delivery keeps its first 4 KB): the bytes `body` holds. */
  readonly keptBytes?: number | undefined;
}

const bytes = (count: number) => count.toLocaleString('en-US');

/**
 * The heading over a recorded body: as received, or what part of it is kept.
 *
 * @example bodyHeading({ ..., bodyBytes: 1048576, keptBytes: 4096 }) // 'Body, cut to its first 4,096 of 1,048,576 bytes (...)'
 */
export function bodyHeading(request: RecordedRequest): string {
  if (request.keptBytes === undefined) return 'Body, exactly as received';
  return `Body, cut to its first ${bytes(request.keptBytes)} of ${bytes(request.bodyBytes)} bytes (a rejected delivery keeps only the start of its body)`;
}

/** Everything the console knows of a delivery or an event. */
export interface EntryDetail {
  readonly entry: ConsoleEntry;
  readonly request?: RecordedRequest | undefined;
  readonly answer?: { readonly status: number; readonly body: string } | undefined;
  /** The one-line detail of a rejection, from the receiver's log. */
  readonly detail?: string | undefined;
  /** The CloudEvent, once the worker received it. */
  readonly event?: unknown;
  readonly attempts: readonly Attempt[];
  /** The other entries of the same event: its deliveries, or the event of a delivery. */
  readonly related: readonly string[];
}

/** The list's filter; an empty field matches everything. */
export interface EntryFilter {
  readonly provider?: string | undefined;
  readonly type?: string | undefined;
  /** Part of the conversation id, or of its digest. */
  readonly conversation?: string | undefined;
  readonly outcome?: string | undefined;
}

/** Whether an entry passes the filter. */
export function matchesFilter(entry: ConsoleEntry, filter: EntryFilter): boolean {
  if (filter.provider && entry.provider !== filter.provider) return false;
  if (filter.type && entry.type !== filter.type) return false;
  if (filter.outcome && entry.outcome !== filter.outcome) return false;
  const conversation = filter.conversation?.trim();
  if (conversation) return [entry.conversation, entry.conversationDigest].some((value) => value?.includes(conversation) === true);
  return true;
}

/** The entries that pass the filter, newest first, at most `limit`. */
export function visibleEntries(entries: Iterable<ConsoleEntry>, filter: EntryFilter, limit = 500): ConsoleEntry[] {
  return [...entries]
    .filter((entry) => matchesFilter(entry, filter))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, limit);
}

/** The mark left where a credential was. */
export { REDACTED } from '../../lib/observability/redact.js';

/**
 * Headers with credential values replaced by {@link REDACTED}, by the one rule of `lib/observability/redact.ts`
 * (header names in any case and style); an `Authorization` header keeps its scheme (`Basic [REDACTED]`), which
 * says what was sent without saying what it was; other values lose the credentials of their query strings.
 *
 * @example redactHeaders({ authorization: 'Basic dTpw' }) // { authorization: 'Basic [REDACTED]' }
 */
export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return redactCredentialHeaders(headers);
}

/** What a processed event's label adds to `processed`, by how it was done. */
const DONE_LABEL: Readonly<Record<HowDone, string>> = {
  handled: 'processed',
  'no handler': 'processed (no handler)',
  duplicate: 'processed earlier (duplicate)',
  'conflicting-duplicate': 'not run (conflicting duplicate)',
};

/** The list's outcome column: `rejected 401`, `processed`, `processed (no handler)`, `retrying (3)`... */
export function outcomeLabel(entry: ConsoleEntry): string {
  if (entry.kind === 'delivery') return entry.outcome === 'accepted' ? 'accepted 200' : `rejected ${entry.status}`;
  if (entry.outcome === 'processed') return DONE_LABEL[entry.done ?? 'handled'];
  if (entry.outcome === 'retrying' || (entry.outcome === 'dead-lettered' && entry.attempts > 0)) return `${entry.outcome} (${entry.attempts})`;
  return entry.outcome;
}

/** What the detail says of a processed event that its handler did not run, and what to do; undefined when it ran. */
export function doneExplanation(entry: ConsoleEntry): string | undefined {
  if (entry.kind !== 'event' || entry.outcome !== 'processed') return undefined;
  const type = entry.type ?? 'its type';
  switch (entry.done) {
    case 'no handler':
      return `No handler is registered for ${type}: the worker only logged it (at DEBUG). Add one in lib/handlers/registry.ts.`;
    case 'duplicate':
      return 'Already handled earlier: its handler ran for this event id before (the idempotency records outlive a restart), so this copy was acknowledged without running. npm start -- --fresh forgets them.';
    case 'conflicting-duplicate':
      return 'Not run: its id was handled earlier with other content. This copy is archived marked conflicting-duplicate (GET /_local/archive?marked=true).';
    default:
      return undefined;
  }
}

/** `13:05:01.123`, the time of day in UTC as the terminal log shows it. */
export function formatTime(iso: string): string {
  return iso.slice(11, 23);
}

/** JSON for reading: indented; a text that is JSON is shown indented too, anything else as is. */
export function formatBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The most archived events the console lists for one conversation. */
const ARCHIVE_LIST_LIMIT = 1000;

/** Where the page reads a conversation's archived events, oldest first. */
export function archivePath(conversation: string): string {
  return `/_local/archive?${new URLSearchParams({ conversation: conversation.trim(), limit: String(ARCHIVE_LIST_LIMIT) }).toString()}`;
}

/** One archived event as `GET /_local/archive` answers it (the parts the console shows). */
export interface ArchivedEventView {
  readonly archivedAt: string;
  readonly event: { readonly id: string; readonly type: string; readonly provider: string; readonly replayof?: string | undefined };
}

/** A line of the conversation's list: `13:05:01.123 qikchat message.received qikchat:abc (replay of qikchat:xyz)`. */
export function archivedEventLabel({ archivedAt, event }: ArchivedEventView): string {
  return `${formatTime(archivedAt)} ${event.provider} ${event.type} ${event.id}${event.replayof ? ` (replay of ${event.replayof})` : ''}`;
}

/** What `POST /_local/console/replay` answers: the summary of `npm run replay`. */
export interface ReplaySummary {
  readonly selected: number;
  readonly sent: number;
  readonly skipped: number;
}

/** The replay's result, as `npm run replay` says it. */
export function replaySummaryText(summary: ReplaySummary): string {
  return `Replay: selected ${String(summary.selected)}, sent ${String(summary.sent)}, skipped ${String(summary.skipped)}.`;
}

/** A parked conversation as `GET /_local/parked` answers it. */
export type ParkedView = ParkedListing;

/** The panel's title line of a parked conversation: `qikchat 6281234567890 · parked, 3 events`. */
export function parkedTitle(view: ParkedView): string {
  const events = `${String(view.events.length)} event${view.events.length === 1 ? '' : 's'}`;
  const state = view.state === 'resuming' ? `resuming${view.resume?.skip ? ' (skipping its failing event)' : ''}` : 'parked';
  return `${view.provider} ${view.conversationId ?? view.conversation} · ${state}, ${events}`;
}

/** What `POST /_local/console/resume` takes: the conversation, and with `skip` its failing event, dropped first. */
export interface ResumeBody {
  readonly conversation: string;
  readonly skip?: string | undefined;
}

/** What the page says after a resume was asked for. */
export function resumeResultText(request: ResumeBody): string {
  return request.skip === undefined
    ? `Resuming ${request.conversation}: its parked events run in order.`
    : `Resuming ${request.conversation} without ${request.skip}: its handler does not run; the later events run in order.`;
}

/** What the console shows of an event's attachment: where it was stored, with the local link that opens it, or why not. */
export type StoredMediaView =
  | { readonly kind: 'stored'; readonly href: string; readonly key: string; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string };

/**
 * The stored-media line of an event (the worker's `data.message.media.stored`); undefined when the event has no
 * attachment the worker looked at.
 *
 * @example storedMediaView(event) // { kind: 'stored', href: '/_local/media/media/qikchat/5f1c…', text: 'image/jpeg, 204 bytes, sha256 24d5…' }
 */
export function storedMediaView(event: unknown): StoredMediaView | undefined {
  const media = (event as { data?: { message?: { media?: Partial<Media> } | null } } | undefined)?.data?.message?.media;
  if (!media || media.stored === undefined) return undefined;
  const { stored, storeFailure } = media;
  if (stored === null) return { kind: 'failed', text: `Not stored: ${storeFailure?.reason ?? 'unknown'} (${storeFailure?.message ?? ''})` };
  return {
    kind: 'stored',
    key: stored.key,
    href: `/_local/media/${stored.key.split('/').map(encodeURIComponent).join('/')}`,
    text: `${stored.contentType}, ${String(stored.size)} bytes, sha256 ${stored.sha256.slice(0, 12)}…`,
  };
}
