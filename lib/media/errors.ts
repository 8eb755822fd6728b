import { GatewayError } from '../events/errors.js';

/** Why a file was not stored: the words of `storeFailure.reason` on the event and of the failure log line. */
export type MediaFailureReason =
  /** 404 or 410: the link is gone (or never was). */
  | 'not_found'
  /** A 4xx other than 404, 408, 410 and 429 (a 403 of an expired or foreign link): not retried. */
  | 'http_status'
  /** A 5xx, 408 or 429 still after the retries. */
  | 'server_error'
  /** Larger than the size limit (`mediaMaxBytes`), said by Content-Length or found while streaming. */
  | 'too_large'
  /** The bytes' SHA-256 is not the one the provider gave. */
  | 'sha256_mismatch'
  /** No answer, or no bytes for a while, or the time limit ran out. */
  | 'timeout'
  /** The address policy refused it: not https, a host not allowed, a private or loopback address. */
  | 'refused'
  /** More redirects than allowed, or one without a Location. */
  | 'redirects'
  /** The connection failed (refused, reset, DNS). */
  | 'download_failed'
  /** S3 did not take the file. */
  | 'store_failed'
  /** The provider's secret, with the headers its media links need, could not be read. */
  | 'credentials';

/** Reasons worth another attempt: the next one may find the server, the network or S3 in better health. */
const RETRIED: ReadonlySet<MediaFailureReason> = new Set(['server_error', 'timeout', 'download_failed', 'store_failed']);

/** A file that could not be stored; its message names the host, never the URL's path or query (a signed link's token). */
export class MediaStoreError extends GatewayError<MediaFailureReason> {
  override readonly name: string = 'MediaStoreError';

  /** Whether another attempt may succeed. */
  get retryable(): boolean {
    return RETRIED.has(this.reason);
  }
}
