/** What `GET /health` of the local runtime says is wrong, and how an error is said in one line. */
import type { PollerStatus } from './poller.js';

/** An error as one line: its message, or its name when it has none (some SDK errors), never its stack. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * The problems of a running local runtime, each one line; none when it is healthy.
 *
 * @example healthProblems({ failing: 'connect ECONNREFUSED 127.0.0.1:4149' }, 'http://127.0.0.1:4149')
 */
export function healthProblems(poller: PollerStatus, sqsEndpoint: string): string[] {
  return poller.failing === undefined ? [] : [`the queue at ${sqsEndpoint} cannot be reached (${poller.failing}): the worker is not receiving events`];
}
