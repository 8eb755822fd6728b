/**
 * What `npm run resume` prints: the parked conversations as a table, and the plan of a resume.
 */
import type { ParkedListing } from '../../lib/parking/listing.js';
import type { ParkedConversation, ParkedEvent } from '../../lib/parking/park-store.js';

/** The longest error shown in a table cell; `--json` has it whole. */
const ERROR_WIDTH = 80;

const shortened = (text: string, width: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
};

/** Rows of cells as aligned columns, the last one unpadded. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The parked conversations as a table: conversation, provider, state, failing event, attempts, parked events, error.
 *
 * @example process.stdout.write(formatListing(await listParked(store)));
 */
export function formatListing(listing: readonly ParkedListing[]): string {
  const header = ['CONVERSATION', 'PROVIDER', 'STATE', 'FAILING EVENT', 'ATTEMPTS', 'EVENTS', 'ERROR'];
  const rows = listing.map((entry) => [
    entry.conversation,
    entry.provider,
    entry.state,
    entry.failingEventId,
    String(entry.attempts),
    String(entry.events.length),
    shortened(entry.error, ERROR_WIDTH),
  ]);
  return `${columns([header, ...rows]).join('\n')}\n`;
}

/** An event's type, read from its parked queue message (a WebhookEvent as JSON); '' when it is not readable. */
function typeOf(event: ParkedEvent): string {
  try {
    const parsed: unknown = JSON.parse(event.body);
    const type = (parsed as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : '';
  } catch {
    return '';
  }
}

/**
 * What a resume does, one line per parked event in the order they run: the failing event first (or skipped),
 * then the rest.
 */
export function formatPlan(conversation: ParkedConversation, events: readonly ParkedEvent[], skip: string | undefined): string {
  const rows = events.map((event, index) => {
    const failing = event.eventId === conversation.failingEventId;
    const action = failing && skip === event.eventId ? 'skip' : 'run';
    const note = !failing
      ? ''
      : action === 'skip'
        ? 'the failing event: dropped, not handled; archived marked skipped'
        : `the failing event: ${String(conversation.attempts)} failed attempts, last: ${shortened(conversation.error, ERROR_WIDTH)}`;
    return [`${String(index + 1).padStart(4)}.`, action, event.eventId, typeOf(event), note];
  });
  return `${columns(rows).join('\n')}\n`;
}
