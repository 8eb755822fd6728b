/** What `npm run smoke` prints: the table of providers, and the lines under it. */
import type { SmokeReport, SmokeRow } from './run.js';

const HEADERS = ['provider', 'answer', 'event id', 'handled', 'ms'] as const;

/** The cells of one row, in the order of {@link HEADERS}. */
function cells(row: SmokeRow, waitSeconds: number): string[] {
  const answer = row.status !== undefined ? String(row.status) : row.eventId !== undefined ? 'none' : '—';
  const handled = row.handled === 'yes' ? 'yes' : row.handled === 'late' ? `not within ${String(waitSeconds)} s` : '—';
  return [row.slug, answer, row.eventId ?? '—', handled, row.answerMs !== undefined ? String(row.answerMs) : '—'];
}

/**
 * The table: provider, answer (HTTP status), event id sent, handled (found in the archive: yes, not within the
 * wait, or — when not looked for), ms (how long the answer took). Columns padded; ms aligned right.
 */
export function formatTable(rows: readonly SmokeRow[], waitSeconds: number): string {
  const lines = [[...HEADERS], ...rows.map((row) => cells(row, waitSeconds))];
  const widths = HEADERS.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  const last = HEADERS.length - 1;
  return lines
    .map((line) => line.map((cell, column) => (column === last ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  '))
    .join('\n')
    .concat('\n');
}

/** Whether a row passed: accepted, and archived (or, when nothing could be checked, accepted). */
export function rowPassed(row: SmokeRow): boolean {
  return row.problem === undefined;
}

/** The lines under the table: the outcome, each failure in one line (for stderr), and the notes. */
export function formatSummary(report: SmokeReport): { stdout: string; stderr: string } {
  const { rows } = report;
  const failed = rows.filter((row) => !rowPassed(row));
  const count = (n: number) => (n === 1 ? '1 provider' : `${String(n)} providers`);
  let stdout = '';
  let stderr = '';
  if (failed.length === 0) {
    const archived = rows.every((row) => row.handled === 'yes');
    stdout += `Passed: ${count(rows.length)}, each sample accepted (200)${archived ? ' and its event archived by the worker' : '; the archive was not checked'}.\n`;
  } else {
    stderr += `Failed: ${String(failed.length)} of ${count(rows.length)}.\n`;
    for (const row of failed) stderr += `${row.slug}: ${row.problem ?? ''}\n`;
    if (report.archiveProblem !== undefined) stderr += `${report.archiveProblem}\n`;
  }
  for (const row of rows) if (row.note !== undefined) stdout += `Note, ${row.slug}: ${row.note}.\n`;
  return { stdout, stderr };
}
