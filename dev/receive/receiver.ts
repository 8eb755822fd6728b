/**
 * The reference receiver of `npm run receive`: what a team's endpoint for the gateway's HTTPS destinations does, small
 * enough to read. It verifies each request's Standard Webhooks signature with the `standardwebhooks` package (401
 * when it does not verify), dedupes on `webhook-id` (a repeat is answered 2xx again), notices an event that overtakes
 * another of its conversation still owed after a retryable answer, and fails a share of the requests on purpose.
 * Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { conversationOf, parseReceivedEvent, type ReceivedEvent } from './event.js';
import { createLedger, type Arrival } from './ledger.js';
import { receivedLine, refusedLine } from './line.js';

export interface ReferenceReceiverOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The one path it takes deliveries on, e.g. `/hook`. */
  readonly path: string;
  /** The `whsec_` secrets a signature may be made with, current first (two during a rotation). */
  readonly secrets: readonly string[];
  /** The share of verified requests answered `failStatus` instead of accepted, 0 to 1. @default 0 */
  readonly failRate?: number;
  /** @default 503 */
  readonly failStatus?: number;
  /** Decides which requests fail: one draw per verified request, below `failRate` fails. @default Math.random */
  readonly random?: () => number;
  /**
   * For whoever runs it in-process (the tests): the status to fail a verified event with on its `attempt`-th arrival
   * (1 the first), or undefined to let `failRate` decide.
   */
  readonly statusFor?: (event: ReceivedEvent, attempt: number) => number | undefined;
  /** Where the one line per request goes. */
  readonly write: (line: string) => void;
}

/** One request the receiver answered, as recorded for whoever runs it in-process (the tests). */
interface ReceivedRequest {
  readonly at: string;
  readonly status: number;
  /** `accepted`, `duplicate` (accepted before; answered 2xx again), `failed` (on purpose) or `refused` (no valid signature, no event). */
  readonly outcome: 'accepted' | 'duplicate' | 'failed' | 'refused';
  readonly webhookId?: string | undefined;
  /** The CloudEvent as sent, when it verified. */
  readonly event?: ReceivedEvent | undefined;
  readonly arrival?: Arrival | undefined;
  /** Why it was refused. */
  readonly reason?: string | undefined;
}

export interface ReferenceReceiver {
  /** `http://127.0.0.1:<port><path>`: the destination URL to give `npm start`. */
  readonly url: string;
  readonly port: number;
  /** Every request answered, oldest first (the last 100,000). */
  requests(): readonly ReceivedRequest[];
  stop(): Promise<void>;
}

// An event is at most an SQS message (1 MiB) of JSON; anything much larger is no delivery of the gateway.
const MAXIMUM_BODY_BYTES = 2 * 1024 * 1024;
const REQUESTS_KEPT = 100_000;

/** The body, or undefined when it is larger than the limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAXIMUM_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Why none of the secrets verifies the request, or undefined when one does (the package's own check: the headers, the
 * timestamp within 5 minutes, an HMAC-SHA256 signature of `id.timestamp.body` among those sent).
 */
function verificationFailure(verifiers: readonly Webhook[], body: Buffer, headers: Record<string, string>): string | undefined {
  let reason = 'no secret';
  for (const verifier of verifiers) {
    try {
      verifier.verify(body, headers, { jsonParse: false });
      return undefined;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      reason = error.message;
    }
  }
  return reason;
}

/**
 * Starts the receiver on 127.0.0.1.
 *
 * @throws Error with `code` EADDRINUSE when the port is taken
 * @example const receiver = await startReferenceReceiver({ port: 8080, path: '/hook', secrets: [secret], write: console.log });
 */
export async function startReferenceReceiver(options: ReferenceReceiverOptions): Promise<ReferenceReceiver> {
  const verifiers = options.secrets.map((secret) => new Webhook(secret));
  const failRate = options.failRate ?? 0;
  const failStatus = options.failStatus ?? 503;
  const random = options.random ?? Math.random;
  const ledger = createLedger();
  const requests: ReceivedRequest[] = [];

  function answer(response: ServerResponse, record: ReceivedRequest, line: string, headers: Record<string, string> = {}): void {
    requests.push(record);
    if (requests.length > REQUESTS_KEPT) requests.shift();
    options.write(line);
    const body = record.status === 204 ? '' : JSON.stringify({ message: record.reason ?? (record.outcome === 'failed' ? 'failing on purpose (npm run receive -- --fail-rate)' : 'ok') });
    response.writeHead(record.status, { ...(body === '' ? {} : { 'content-type': 'application/json' }), ...headers });
    response.end(body);
  }

  /** The request's verified event, or why it is refused. */
  async function read(request: IncomingMessage): Promise<{ webhookId: string | undefined } & ({ event: ReceivedEvent } | { status: number; reason: string; headers?: Record<string, string> })> {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== options.path) return { webhookId: undefined, status: 404, reason: `this receiver takes deliveries at ${options.path} only (npm run receive -- --path)` };
    if (request.method !== 'POST') return { webhookId: undefined, status: 405, reason: 'deliveries are POSTed', headers: { allow: 'POST' } };
    const body = await readBody(request);
    const webhookId = header(request, 'webhook-id');
    if (body === undefined) return { webhookId, status: 413, reason: `larger than ${String(MAXIMUM_BODY_BYTES)} bytes` };
    const headers = {
      'webhook-id': webhookId ?? '',
      'webhook-timestamp': header(request, 'webhook-timestamp') ?? '',
      'webhook-signature': header(request, 'webhook-signature') ?? '',
    };
    const failure = verificationFailure(verifiers, body, headers);
    if (failure !== undefined) return { webhookId, status: 401, reason: `signature not verified: ${failure}` };
    const event = parseReceivedEvent(body);
    if (event === undefined) return { webhookId, status: 400, reason: 'verified, but the body is no CloudEvent (JSON with id, type and provider)' };
    return { webhookId, event };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = new Date().toISOString();
    const inspected = await read(request);
    const { webhookId } = inspected;
    if (!('event' in inspected)) {
      const { status, reason } = inspected;
      const target = `${request.method ?? '?'} ${request.url ?? ''}`;
      answer(response, { at, status, outcome: 'refused', webhookId, reason }, refusedLine({ at, target, webhookId, status, reason }), inspected.headers);
      return;
    }
    const { event } = inspected;
    const conversation = conversationOf(event);
    // Order is kept per conversation; an event of none is ordered against nothing.
    const orderKey = conversation === undefined ? `event ${event.id}` : `${event.provider} ${conversation}`;
    const id = webhookId ?? event.id;
    const chosen = options.statusFor?.(event, ledger.attempts(id) + 1);
    const fails = chosen !== undefined || (failRate > 0 && random() < failRate);
    const failedWith = chosen ?? failStatus;
    const arrival = ledger.arrive(id, orderKey, fails ? { accepted: false, status: failedWith } : { accepted: true }, at);
    const status = fails ? failedWith : 204;
    const outcome = fails ? 'failed' : arrival.duplicateOf !== undefined ? 'duplicate' : 'accepted';
    const failedBecause = chosen === undefined ? `--fail-rate ${String(failRate)}` : 'as its runner chose';
    const line = receivedLine({ at, webhookId: id, event, conversation, status, outcome, arrival, failedBecause });
    answer(response, { at, status, outcome, webhookId, event, arrival }, line);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.write(`${new Date().toISOString().slice(11, 23)}  the receiver failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}${options.path}`,
    port,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
