/**
 * HTTP load from the benchmark's own process: `concurrency` lanes, each sending one request after the other
 * over keep-alive connections, every request once, each with a timeout. Traffic goes only to the loopback URL
 * it is given.
 */
import { Agent, request } from 'node:http';

export interface LoadRequest {
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** The event id the gateway makes of it, when the caller accounts for them. */
  readonly id?: string;
}

export interface LoadResult {
  /** Answers by status code (0: no answer: connection error or timeout). */
  readonly statuses: Readonly<Record<number, number>>;
  /** Milliseconds from sending to the end of the answer, of the requests answered 200. */
  readonly latenciesMs: readonly number[];
  /** Ids of the requests answered 200. */
  readonly acknowledgedIds: readonly string[];
  /** Ids of the requests answered anything else, or not at all. */
  readonly notAcknowledgedIds: readonly string[];
  /** From the first request sent to the last answer. */
  readonly elapsedMs: number;
  /** `performance.now()` when the last answer came. */
  readonly finishedAt: number;
}

function post(agent: Agent, url: URL, item: LoadRequest, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: item.path,
        method: 'POST',
        headers: { ...item.headers, 'content-length': String(item.body.length) },
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => resolve(0));
    outgoing.end(item.body);
  });
}

/**
 * Sends every request once, `concurrency` at a time.
 *
 * @param url - the server, on loopback
 */
export async function sendLoad(url: string, requests: readonly LoadRequest[], concurrency: number, timeoutMs = 10_000): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: Record<number, number> = {};
  const latenciesMs: number[] = [];
  const acknowledgedIds: string[] = [];
  const notAcknowledgedIds: string[] = [];
  let next = 0;
  const started = performance.now();
  let finishedAt = started;
  const lane = async () => {
    while (next < requests.length) {
      const item = requests[next++];
      if (!item) continue;
      const sent = performance.now();
      const status = await post(agent, target, item, timeoutMs);
      finishedAt = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) {
        latenciesMs.push(finishedAt - sent);
        if (item.id !== undefined) acknowledgedIds.push(item.id);
      } else if (item.id !== undefined) notAcknowledgedIds.push(item.id);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  } finally {
    agent.destroy();
  }
  return { statuses, latenciesMs, acknowledgedIds, notAcknowledgedIds, elapsedMs: finishedAt - started, finishedAt };
}
