/** The runtime the console's parking tests look at: a Qikchat text handler that fails for chosen messages, parked within seconds. */
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import type { WebhookEvent } from '../../../lib/events/schema.js';
import { localRetryPolicy } from '../../../lib/parking/retry-policy.js';
import { signed, startTestRuntime, type SignedRequest } from '../../support/local-runtime.js';

/** A signed Qikchat text message from `from` (its conversation), with its own message id `id`. */
export function qikchat(from: string, id: string): SignedRequest {
  const body = JSON.stringify({
    event: 'whatsapp:message:in',
    payload: { id, name: 'whatsapp', contacts: [{ profile: { name: 'Test' }, to: '+10000000000' }], message: { from, timestamp: '2026-12-07T00:00:00.000Z', text: { body: `text of ${id}` }, type: 'text' } },
  });
  return signed('qikchat', body);
}

const payloadId = (event: WebhookEvent) => (event.data.raw as { payload: { id: string } }).payload.id;

export interface ParkingRuntime {
  readonly runtime: LocalRuntime;
  /** Message ids whose handler throws, with the error message it throws. */
  readonly failing: Map<string, string>;
  /** Every run of the handler, in order, by message id (a failed run included). */
  readonly runs: string[];
  /** The message ids whose handler succeeded, in order. */
  readonly handled: string[];
}

/**
 * A test runtime whose `message.received` handler fails for the message ids in `failing`; a failing event parks its
 * conversation after 3 runs, 1 s apart (instead of 5, within about 20 s), so a test waits seconds.
 */
export async function startParkingRuntime(): Promise<ParkingRuntime> {
  const failing = new Map<string, string>();
  const runs: string[] = [];
  const handled: string[] = [];
  const runtime = await startTestRuntime({
    retry: { ...localRetryPolicy, attempts: 3, backoffRate: 1 },
    handlers: {
      'message.received': (event) => {
        const id = payloadId(event);
        runs.push(id);
        const error = failing.get(id);
        if (error !== undefined) throw new Error(error);
        handled.push(id);
      },
    },
  });
  return { runtime, failing, runs, handled };
}
