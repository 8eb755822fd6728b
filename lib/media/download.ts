import { isTransientStatus, OutboundFailedError, outboundRequest, OutboundRefusedError, type OutboundPolicy, type OutboundResponse } from '../net/outbound.js';
import { MediaStoreError } from './errors.js';

/** Redirects followed at most: a CDN hop or two; more is a loop or a trick. */
const MAX_REDIRECTS = 3;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What one download needs besides the URL. */
export interface DownloadOptions {
  readonly policy: OutboundPolicy;
  /** Headers for the link's own host (a provider's API key): dropped on a redirect to any other host. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Aborts the download (the time limit). */
  readonly signal: AbortSignal;
  /** No answer's headers within this many ms: a timeout. */
  readonly answerTimeoutMs: number;
}

/** The outbound refusal or failure as a media failure; the message names the host only. */
export function mediaError(error: unknown): MediaStoreError {
  if (error instanceof MediaStoreError) return error;
  if (error instanceof OutboundRefusedError) return new MediaStoreError('refused', error.message, { cause: error });
  if (error instanceof OutboundFailedError) return new MediaStoreError(error.reason === 'outbound_timeout' ? 'timeout' : 'download_failed', error.message, { cause: error });
  if (error instanceof Error && error.name === 'AbortError') return new MediaStoreError('timeout', 'The time limit for storing media ran out', { cause: error });
  return new MediaStoreError('download_failed', error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * GETs a media link under the address policy, following at most {@link MAX_REDIRECTS} redirects, each new URL checked
 * again (scheme, host allow-list, and the address connected to). Resolves with a 2xx answer whose body is unread.
 *
 * @throws MediaStoreError `refused`, `redirects`, `not_found`, `http_status`, `server_error`, `timeout` or `download_failed`
 */
export async function downloadMedia(url: URL, options: DownloadOptions): Promise<OutboundResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    // Credentials go to the host the provider's link names, never to where it redirects.
    const headers = current.host === url.host ? options.headers : undefined;
    let response: OutboundResponse;
    try {
      response = await outboundRequest(current, { method: 'GET', headers, signal: options.signal, timeoutMs: options.answerTimeoutMs }, options.policy);
    } catch (error) {
      throw mediaError(error);
    }
    if (response.status >= 200 && response.status < 300) return response;
    // Nothing of an answer that is no file is wanted: free the socket.
    response.body.resume();
    if (REDIRECTS.has(response.status)) {
      const location = response.headers.location;
      if (hop >= MAX_REDIRECTS) throw new MediaStoreError('redirects', `More than ${String(MAX_REDIRECTS)} redirects from ${url.host}`);
      if (!location) throw new MediaStoreError('redirects', `A redirect without a Location from ${current.host}`);
      try {
        current = new URL(location, current);
      } catch (error) {
        throw new MediaStoreError('redirects', `A redirect to no URL from ${current.host}`, { cause: error });
      }
      continue;
    }
    if (response.status === 404 || response.status === 410) throw new MediaStoreError('not_found', `${current.host} answered ${String(response.status)}: the file is not there (an expired link?)`);
    throw new MediaStoreError(isTransientStatus(response.status) ? 'server_error' : 'http_status', `${current.host} answered ${String(response.status)}`);
  }
}
