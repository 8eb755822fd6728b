/**
 * Replaying archived events: each selected event goes to the queue again as a new CloudEvent, with an id of its
 * own and the extensions `replayof` and `replayedat`, in the archive's order, one at a time, so that a
 * conversation's events keep their order in its FIFO message group.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ArchiveStore } from '../../lib/archive/writer.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { isSqsId } from '../../lib/events/sqs-id.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider } from '../../lib/providers/registry.js';
import { enqueueEvent, MessageTooLargeError, serialiseEvent, type EnqueueTarget } from '../../lib/queue/enqueue.js';
import { readArchive, type ArchiveQuery } from './read-archive.js';

/** What a replay did. */
export interface ReplayReport {
  /** Distinct archived events the filters selected. */
  readonly selected: number;
  /** Accepted by the queue (SQS also answers so for a message it drops as a duplicate within its window). */
  readonly sent: number;
  /** Selected but not sent, each with its reason (too large, not rebuildable, an original sent already); in a dry run, what a real run would skip. */
  readonly skipped: number;
  readonly skips: readonly { readonly id: string; readonly reason: string }[];
  /** In a dry run, the archived ids a real run would send, in the order it would send them; empty otherwise. */
  readonly wouldSend: readonly string[];
  /** Archive lines left out because they repeat an event id (a batch archived again on its retry). */
  readonly duplicates: number;
  /** Archive lines left out because they are no event this version reads. */
  readonly unreadable: number;
  readonly dryRun: boolean;
}

/** A replay that stopped part-way; `sent` events made it to the queue before it did. */
export class ReplayError extends Error {
  override readonly name: string = 'ReplayError';
  readonly sent: number;

  constructor(message: string, sent: number, options?: ErrorOptions) {
    super(message, options);
    this.sent = sent;
  }
}

/**
 * The deduplication id of a replayed event: the same for every replay of one original, so that within SQS's
 * 5-minute deduplication window a second run (or a retried one) does not enqueue it again.
 */
export function replayDeduplicationId(originalId: string): string {
  const id = `replay:${originalId}`;
  return isSqsId(id) ? id : `replay:sha256:${createHash('sha256').update(originalId).digest('hex')}`;
}

/** The delivery's body again, from `data.raw`: the bytes of a base64 body, the text of a non-JSON one, else the JSON. */
function rawBody(event: WebhookEvent): Buffer {
  const { raw } = event.data;
  if (event.type === 'event.unrecognized' && event.data.reason === 'not_json' && typeof raw === 'string') {
    return Buffer.from(raw, event.data.rawEncoding === 'base64' ? 'base64' : 'utf8');
  }
  return Buffer.from(JSON.stringify(raw));
}

/** The event rebuilt from its `data.raw` by today's normaliser (its `time` stands in for when it was received). */
function renormalised(event: WebhookEvent): WebhookEvent {
  const provider = findProvider(event.provider);
  if (!provider) throw new Error(`no provider "${event.provider}" in this version`);
  return normaliseDelivery(provider, { rawBody: rawBody(event), headers: {}, receivedAt: new Date(event.time) });
}

/**
 * The new CloudEvent of a replay: the archived one (or, with `renormalise`, today's normalisation of its raw
 * payload) with a new id, `replayof` naming the first original (a replay of a replay names the original too)
 * and `replayedat`.
 */
function replayedEvent(archived: WebhookEvent, replayedAt: Date, options: { readonly renormalise?: boolean } = {}): WebhookEvent {
  const base = options.renormalise ? renormalised(archived) : archived;
  return {
    ...base,
    id: `${archived.provider}:replay:${randomUUID()}`,
    replayof: archived.replayof ?? archived.id,
    replayedat: replayedAt.toISOString(),
  };
}

export interface ReplayOptions {
  readonly archive: ArchiveStore;
  readonly query: ArchiveQuery;
  /** Where the events go; a dry run when absent (nothing is sent). */
  readonly queue?: EnqueueTarget | undefined;
  /** Send nothing, even with a queue (whose size limit then still tells what a real run would skip). @default !queue */
  readonly dryRun?: boolean;
  /** Rebuild each event from `data.raw` with today's normaliser. */
  readonly renormalise?: boolean;
  /** Per-send timeout. @default 1500 (the enqueue budget's ceiling) */
  readonly timeoutMs?: number;
  /** Told after each event sent or skipped. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => Date;
}

/**
 * Selects archived events and enqueues them again, in archive order.
 *
 * @throws ReplayError when the queue refuses or cannot be reached; the events before it were sent
 */
export async function replayArchive(options: ReplayOptions): Promise<ReplayReport> {
  const { events, duplicates, unreadable } = await readArchive(options.archive, options.query);
  const dryRun = options.dryRun === true || !options.queue;
  const skips: { id: string; reason: string }[] = [];
  const wouldSend: string[] = [];
  let sent = 0;
  const now = options.now ?? (() => new Date());
  // One send per original: an archived replay stands for its original, which it names in `replayof`.
  const originals = new Set<string>();
  for (const { event } of events) {
    const skip = (reason: string) => skips.push({ id: event.id, reason });
    const original = event.replayof ?? event.id;
    if (originals.has(original)) {
      skip(`${original} is replayed once already in this run`);
      options.onProgress?.(sent + skips.length + wouldSend.length, events.length);
      continue;
    }
    originals.add(original);
    let replayed: WebhookEvent | undefined;
    try {
      replayed = replayedEvent(event, now(), { renormalise: options.renormalise ?? false });
    } catch (error) {
      skip(`not rebuilt: ${error instanceof Error ? error.message : String(error)}`);
    }
    const size = replayed && options.queue ? Buffer.byteLength(serialiseEvent(replayed)) : 0;
    if (replayed && dryRun && options.queue && size > options.queue.maximumMessageSizeBytes) skip(new MessageTooLargeError(size, options.queue.maximumMessageSizeBytes).message);
    else if (replayed && dryRun) wouldSend.push(event.id);
    else if (replayed && options.queue) {
      try {
        await enqueueEvent(options.queue, replayed, {
          deduplicationId: replayDeduplicationId(replayed.replayof ?? event.id),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        });
        sent++;
      } catch (error) {
        if (!(error instanceof MessageTooLargeError)) {
          throw new ReplayError(`Sending ${event.id} again failed; the events after it were not sent`, sent, { cause: error });
        }
        skip(error.message);
      }
    }
    options.onProgress?.(sent + skips.length + wouldSend.length, events.length);
  }
  return { selected: events.length, sent, skipped: skips.length, skips, wouldSend, duplicates, unreadable, dryRun };
}
