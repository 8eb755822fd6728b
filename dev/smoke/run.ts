/**
 * One smoke test run: a signed sample to each provider's URL at once, then its event looked for in the archive
 * until every accepted one is found or the wait is over.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCause, SmokeError } from './errors.js';
import { smokeDelivery, SmokeSampleError, type SmokeDelivery } from './samples.js';
import type { SmokeProviderTarget, SmokeTarget } from './target.js';

/** How long a receiver may take to answer before the smoke test gives up on it (providers give up at 2 s). */
const ANSWER_TIMEOUT_MS = 10_000;

/** What became of one provider's sample. */
export interface SmokeRow {
  readonly slug: string;
  /** The sample it was made from; undefined when nothing was sent. */
  readonly sample: string | undefined;
  /** The event id sent; undefined when nothing was sent. */
  readonly eventId: string | undefined;
  /** The HTTP answer; undefined when there was none. */
  readonly status: number | undefined;
  /** How long the answer took, in milliseconds. */
  readonly answerMs: number | undefined;
  /** `yes`: archived by the worker; `late`: not within the wait; `unchecked`: not looked for. */
  readonly handled: 'yes' | 'late' | 'unchecked';
  /** Why it failed, in one line; undefined when it passed. */
  readonly problem: string | undefined;
  /** A caution beside a pass (a placeholder secret). */
  readonly note: string | undefined;
}

export interface SmokeReport {
  readonly rows: readonly SmokeRow[];
  /** Why the archive could not be read, when it could not: every accepted event then failed unchecked. */
  readonly archiveProblem: string | undefined;
}

export interface SmokeRunOptions {
  /** The run's token, in every event id (`runToken()`). */
  readonly token: string;
  /** How long to look for the events in the archive after sending, in seconds. */
  readonly waitSeconds: number;
  /** How often to look, in milliseconds. */
  readonly pollIntervalMs: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One line for an answer other than 200. */
function refusal(status: number, body: string, from: SmokeProviderTarget, target: SmokeTarget): string {
  if (status === 401) return `refused (401): the receiver does not accept ${from.secretFrom}; ${target.refusedHint(from.provider)}`;
  if (status === 404) return `not found (404) at ${from.url}: no receiver of this provider there; check the URL`;
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const why =
    status === 503
      ? ': the queue did not take the event in time (the receiver\'s log says why)'
      : status === 500
        ? ': the receiver cannot read its secret, or it is not {"current": "..."} (the receiver\'s log says which)'
        : '';
  return `answered ${String(status)}${text ? ` ${text}` : ''}${why}`;
}

async function send(from: SmokeProviderTarget, target: SmokeTarget, token: string): Promise<Mutable<SmokeRow>> {
  const row: Mutable<SmokeRow> = {
    slug: from.provider.slug,
    sample: undefined,
    eventId: undefined,
    status: undefined,
    answerMs: undefined,
    handled: 'unchecked',
    problem: undefined,
    note: undefined,
  };
  let delivery: SmokeDelivery;
  try {
    const secret = await from.secret();
    row.note = secret.note;
    delivery = await smokeDelivery(from.provider, token, secret.value);
  } catch (error) {
    if (!(error instanceof SmokeError || error instanceof SmokeSampleError)) throw error;
    row.problem = `not sent: ${error.message}`;
    return row;
  }
  row.sample = delivery.sample;
  row.eventId = delivery.expected.id;
  const started = performance.now();
  try {
    const response = await fetch(from.url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    const body = await response.text();
    row.status = response.status;
    row.answerMs = Math.round(performance.now() - started);
    if (response.status !== 200) row.problem = refusal(response.status, body, from, target);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    row.problem = timedOut ? `no answer from ${from.url} within ${String(ANSWER_TIMEOUT_MS / 1000)} s` : `no answer from ${from.url} (${rootCause(error)})`;
  }
  return row;
}

/**
 * Sends each provider's sample, then looks for the accepted ones in the archive until all are found or
 * `waitSeconds` have passed.
 *
 * @example const { rows } = await runSmoke(target, { token: runToken(), waitSeconds: 60, pollIntervalMs: 2_000 });
 */
export async function runSmoke(target: SmokeTarget, options: SmokeRunOptions): Promise<SmokeReport> {
  const rows = await Promise.all(target.providers.map((from) => send(from, target, options.token)));

  const pending = new Map(rows.filter((row) => row.status === 200 && row.eventId !== undefined).map((row) => [row.eventId ?? '', row]));
  let archiveProblem: string | undefined;
  if (target.archive && pending.size > 0) {
    const deadline = Date.now() + options.waitSeconds * 1000;
    for (;;) {
      try {
        for (const id of await target.archive.find([...pending.keys()])) {
          const row = pending.get(id);
          if (row) row.handled = 'yes';
          pending.delete(id);
        }
      } catch (error) {
        if (!(error instanceof SmokeError)) throw error;
        archiveProblem = error.message;
        break;
      }
      const left = deadline - Date.now();
      if (pending.size === 0 || left <= 0) break;
      await sleep(Math.min(options.pollIntervalMs, left));
    }
    for (const row of pending.values()) {
      if (archiveProblem !== undefined) {
        row.problem = 'accepted, but whether the worker took it is unknown: the archive could not be read (below)';
      } else {
        row.handled = 'late';
        row.problem = `accepted, but its event was not in the archive within ${String(options.waitSeconds)} s: ${target.notHandledHint}`;
      }
    }
  }
  return { rows, archiveProblem };
}
