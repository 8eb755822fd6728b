/**
 * How `npm run smoke` sees that the worker took an event: its id in the archive, which the worker writes for every
 * batch before any handler runs. In AWS the archive bucket itself (readArchive over S3); locally the runtime's
 * `GET /_local/archive?id=`.
 */
import type { ArchiveStore } from '../../lib/archive/writer.js';
import { readArchive } from '../replay/read-archive.js';
import { accessDeniedLine, rootCause, SmokeError } from './errors.js';

export interface ArchiveCheck {
  /** Said in the output: `s3://bucket`, `http://127.0.0.1:3000/_local/archive`. */
  readonly where: string;
  /**
   * Which of `ids` the worker has archived.
   * @throws SmokeError with one line when the archive cannot be read
   */
  find(ids: readonly string[]): Promise<ReadonlySet<string>>;
  destroy(): void;
}

/** The archive of the local runtime at `url`, event by event. */
export function localArchiveCheck(url: string): ArchiveCheck {
  const where = `${url}/_local/archive`;
  const archived = async (id: string): Promise<boolean> => {
    const response = await fetch(`${where}?id=${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET ${where}?id=${id} answered ${String(response.status)}`);
    const events = (await response.json()) as unknown[];
    return events.length > 0;
  };
  return {
    where,
    async find(ids) {
      try {
        const found = await Promise.all(ids.map(async (id) => ((await archived(id)) ? [id] : [])));
        return new Set(found.flat());
      } catch (error) {
        throw new SmokeError(`Could not read ${where} (${rootCause(error)}): is npm start still running at ${url}?`, { cause: error });
      }
    },
    destroy: () => undefined,
  };
}

/**
 * The archive bucket, read with readArchive from `from` on: every batch archived since, each looked at again on
 * each call (a smoke test waits a minute at most).
 */
export function s3ArchiveCheck(store: ArchiveStore, from: Date, destroy: () => void): ArchiveCheck {
  const where = `s3://${store.bucket}`;
  return {
    where,
    async find(ids) {
      try {
        const { events } = await readArchive(store, { from });
        const wanted = new Set(ids);
        return new Set(events.map(({ event }) => event.id).filter((id) => wanted.has(id)));
      } catch (error) {
        const needs = 's3:ListBucket on the bucket, s3:GetObject on events/* and kms:Decrypt on its key';
        const denied = accessDeniedLine(error, `reading the archive ${where}`, needs);
        throw new SmokeError(denied ?? `Could not read the archive ${where} (${rootCause(error)}): check the bucket, the region and your AWS credentials`, { cause: error });
      }
    },
    destroy,
  };
}

/**
 * Whether a local runtime answers at `url` (it has `GET /_local/archive`); false for anything else that answers
 * (API Gateway says 404).
 *
 * @throws SmokeError when nothing answers at all
 */
export async function isLocalRuntime(url: string): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${url}/_local/archive?limit=1`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new SmokeError(`Nothing answers at ${url} (${rootCause(error)}): start the local runtime (npm start), or check --url`, { cause: error });
  }
  const body = await response.text();
  if (!response.ok) return false;
  try {
    return Array.isArray(JSON.parse(body));
  } catch {
    return false;
  }
}
