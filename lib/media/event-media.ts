import { hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Media, MediaStoreFailure, StoredMedia, WebhookEvent } from '../events/schema.js';
import type { OutboundPolicy } from '../net/outbound.js';
import { downloadMedia, mediaError } from './download.js';
import { MediaStoreError } from './errors.js';
import { MEDIA_PREFIX, type MediaSettings } from './settings.js';
import { readManifest, streamToS3, writeManifest } from './store-file.js';

/** Attempts of one file, the first included, and the first wait between two (each next one 4 times longer). */
const RETRY = { attempts: 3, firstDelayMs: 250, factor: 4 } as const;
/** The longest wait for an answer's headers, and for the next bytes of a body, within the time limit. */
const STALL_MS = 5_000;

/** How the worker stores media. */
export interface MediaStoreOptions {
  readonly s3: S3Client;
  /** The archive bucket: its default encryption (the archive's KMS key) covers the files. */
  readonly bucket: string;
  readonly settings: Pick<MediaSettings, 'maxBytes' | 'timeLimitMs' | 'allowHosts'>;
  /** The address policy of every download; a provider's `allowHosts` narrows it. `PUBLIC_HTTPS_ONLY` in the cloud. */
  readonly policy: OutboundPolicy;
  /**
   * Headers a provider's media links need (an API key), from the provider's secret. Sent only when the provider has an
   * allow-list, only to the link's own host, and never logged, archived or put on the event.
   */
  readonly credentials?: ((provider: string, signal: AbortSignal) => Promise<Readonly<Record<string, string>> | undefined>) | undefined;
}

/** What storing an event's media came to. */
export type MediaResult =
  /** The event has no attachment with a URL: nothing to do. */
  | { readonly kind: 'none'; readonly event: WebhookEvent }
  /** Stored before (a retry, a resume, a replay): found, not downloaded again. */
  | { readonly kind: 'kept'; readonly event: WebhookEvent; readonly stored: StoredMedia }
  /** Downloaded and stored now. */
  | { readonly kind: 'stored'; readonly event: WebhookEvent; readonly stored: StoredMedia; readonly attempts: number }
  /** Not stored after the retries: the event carries `stored: null` and the failure. */
  | { readonly kind: 'failed'; readonly event: WebhookEvent; readonly failure: MediaStoreFailure; readonly attempts: number };

/** The attachment of an event's message, when it has one with a URL. */
export function eventMedia(event: WebhookEvent): Media | undefined {
  const message = 'message' in event.data ? event.data.message : null;
  return message?.media?.url ? message.media : undefined;
}

/** The event with its message's attachment replaced. */
function withMedia(event: WebhookEvent, media: Media): WebhookEvent {
  if (!('message' in event.data) || !event.data.message) return event;
  return { ...event, data: { ...event.data, message: { ...event.data.message, media } } } as WebhookEvent;
}

/**
 * The key of an event's file: the same for every copy, retry and replay of the event (a replay keeps the id it
 * replays in `replayof`), so a file is stored once and found again.
 *
 * @example mediaKey({ provider: 'qikchat', id: 'qikchat:in:7Kq2' }) // 'media/qikchat/5f1c…(32 hex)'
 */
export function mediaKey(event: Pick<WebhookEvent, 'provider' | 'id' | 'replayof'>): string {
  return `${MEDIA_PREFIX}${event.provider}/${hash('sha256', event.replayof ?? event.id, 'hex').slice(0, 32)}`;
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** The stored object's type: the provider's, else the server's, when it is a plain `type/subtype`. */
function contentTypeOf(media: Media, served: string | undefined): string {
  for (const candidate of [media.mimeType, served]) {
    const type = candidate?.split(';', 1)[0]?.trim().toLowerCase();
    if (type && CONTENT_TYPE.test(type)) return type;
  }
  return 'application/octet-stream';
}

/** Whether `stored` names a file this store keeps (a replayed event's fields are trusted only then). */
function isOurs(stored: StoredMedia | null | undefined, bucket: string): stored is StoredMedia {
  return stored !== null && stored !== undefined && stored.bucket === bucket && stored.key.startsWith(MEDIA_PREFIX);
}

/** One download into S3. */
async function storeOnce(url: URL, media: Media, key: string, options: MediaStoreOptions, headers: Readonly<Record<string, string>> | undefined, policy: OutboundPolicy, deadline: number, signal: AbortSignal): Promise<StoredMedia> {
  const left = () => Math.max(1, deadline - Date.now());
  const response = await downloadMedia(url, { policy, headers, signal, answerTimeoutMs: Math.min(STALL_MS, left()) });
  return await streamToS3(response, url.host, {
    s3: options.s3,
    bucket: options.bucket,
    key,
    contentType: contentTypeOf(media, response.headers['content-type']),
    maxBytes: options.settings.maxBytes,
    expectedSha256: media.sha256,
    idleMs: Math.min(STALL_MS, left()),
    signal,
  });
}

/**
 * Stores the file of an event's attachment in the archive bucket, before the event's handler runs, and returns the
 * event with `stored` (or `stored: null` and `storeFailure`) on the attachment. A file stored before is found by its
 * manifest and not downloaded again. Failures are retried with a backoff while the time limit allows; one that
 * remains is the result, never a throw: the event goes on, and the provider's URL may still work for its handler.
 *
 * @param limitMs - how long it may take, retries included (the setting, cut to the worker's budget)
 */
export async function storeEventMedia(event: WebhookEvent, options: MediaStoreOptions, limitMs: number, outer?: AbortSignal): Promise<MediaResult> {
  const media = eventMedia(event);
  if (!media?.url) return { kind: 'none', event };
  if (isOurs(media.stored, options.bucket)) return { kind: 'kept', event, stored: media.stored };
  const deadline = Date.now() + limitMs;
  const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(limitMs)]) : AbortSignal.timeout(limitMs);
  const key = mediaKey(event);
  const failed = (error: MediaStoreError, attempts: number): MediaResult => {
    const failure = { reason: error.reason, message: error.message };
    return { kind: 'failed', event: withMedia(event, { ...media, stored: null, storeFailure: failure }), failure, attempts };
  };

  const found = await readManifest(options.s3, options.bucket, key, signal);
  if (found) return { kind: 'kept', event: withMedia(event, { ...media, stored: found }), stored: found };

  let url: URL;
  try {
    url = new URL(media.url);
  } catch (error) {
    return failed(new MediaStoreError('refused', 'The attachment URL is not a URL', { cause: error }), 0);
  }
  const allowHosts = options.settings.allowHosts[event.provider];
  const policy: OutboundPolicy = allowHosts ? { ...options.policy, allowHosts } : options.policy;
  let attempts = 0;
  try {
    // Credentials only where an allow-list pins the hosts they may go to.
    const headers = allowHosts && options.credentials ? await options.credentials(event.provider, signal) : undefined;
    for (;;) {
      attempts++;
      try {
        const stored = await storeOnce(url, media, key, options, headers, policy, deadline, signal);
        await writeManifest(options.s3, stored, signal).catch((error: unknown) => {
          throw new MediaStoreError('store_failed', 'S3 did not store the manifest of the file', { cause: error });
        });
        return { kind: 'stored', event: withMedia(event, { ...media, stored }), stored, attempts };
      } catch (caught) {
        const error = signal.aborted ? new MediaStoreError('timeout', `The time limit of ${String(limitMs)} ms for storing media ran out`, { cause: caught }) : mediaError(caught);
        const delay = RETRY.firstDelayMs * RETRY.factor ** (attempts - 1) * (0.5 + Math.random() / 2);
        if (!error.retryable || attempts >= RETRY.attempts || Date.now() + delay >= deadline) return failed(error, attempts);
        await sleep(delay, undefined, { signal });
      }
    }
  } catch (error) {
    return failed(signal.aborted ? new MediaStoreError('timeout', `The time limit of ${String(limitMs)} ms for storing media ran out`, { cause: error }) : mediaError(error), attempts);
  }
}
