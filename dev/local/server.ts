import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';
import { webhookKindRoute, webhookPath, webhookPathSegments } from '../../lib/events/webhook-path.js';
import { decodePathSegment } from '../../lib/receiver/http-api-event.js';
import { requestPath, toHttpApiEvent } from './http-api-event.js';
import { ACTION_TOKEN_PATH } from './action-token.js';
import { createActionToken, guardRequest, type GuardRefusal } from './request-guard.js';

export type ReceiverHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** How long a client may take to send a request: far less than Node's 300 s, far more than a webhook needs. */
export interface RequestTimeouts {
  /** Until the headers are in. */
  readonly headersMs: number;
  /** Until the whole request is in; then the connection is answered 408 and closed. */
  readonly requestMs: number;
  /** How often Node checks them. */
  readonly checkIntervalMs: number;
}

/** Providers send a small body at once and wait 2 s for the answer: seconds are plenty. */
export const DEFAULT_REQUEST_TIMEOUTS: RequestTimeouts = { headersMs: 5_000, requestMs: 10_000, checkIntervalMs: 1_000 };

/** The most of a refused body read and dropped so the client can read its 413: API Gateway's own payload limit. */
const MAXIMUM_DISCARDED_BYTES = 10 * 1024 * 1024;

/** A route of its own: it reads the request and writes the whole answer. */
export type LocalRoute = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => Promise<void> | void;

/** What is wrong with the runtime, if anything: `GET /health` answers 503 with the problems. */
interface HealthReport {
  readonly problems: readonly string[];
}

/** An inspection's query it cannot answer: answered 400 with this message. */
export class InspectQueryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InspectQueryError';
  }
}

/** A request the server answered without a receiver. */
interface RefusedRequest {
  readonly method: string;
  /** The request target as sent. */
  readonly path: string;
  readonly status: number;
}

export interface LocalServerOptions {
  /** Receiver handler per provider slug. */
  readonly receivers: ReadonlyMap<string, ReceiverHandler>;
  /** Largest body read; a longer one is answered 413 and dropped. */
  readonly maximumBodyBytes: number;
  /** The receivers' Lambda timeout, for their context's clock. */
  readonly receiverTimeoutMs: number;
  /** `GET /_local/*` inspection endpoints; they get the query string. */
  readonly inspect: Readonly<Record<string, (query: URLSearchParams) => unknown>>;
  /** More routes by `METHOD /path` (the console's page, stream and actions), or `METHOD /prefix/*`; they answer themselves. */
  readonly routes?: ReadonlyMap<string, LocalRoute>;
  /** What `GET /health` reports; always healthy when absent. */
  readonly health?: () => Promise<HealthReport>;
  /** @default DEFAULT_REQUEST_TIMEOUTS */
  readonly timeouts?: RequestTimeouts;
  /**
   * Told of every request the server refuses itself (404, 405, 413) that may have been meant as a delivery (a POST,
   * or anything under `/webhooks`), for the log and the console; receivers log their own. A browser's stray GET
   * (`/favicon.ico`, an old script) is no delivery.
   */
  readonly onRefused?: (answer: RefusedRequest) => void;
  /**
   * Told of every request refused before any route (421: not a loopback `Host`; 403: another origin, or an action
   * without the token; 415), for the log. Not for the console: a page of another origin must not fill its list.
   */
  readonly onGuardRefusal?: (refusal: GuardRefusal & { readonly method: string; readonly path: string; readonly host: string | undefined }) => void;
}

function send(response: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/**
 * Reads the body up to `limit` bytes; undefined as soon as it is longer. The stream is left flowing, not
 * destroyed: the rest is for {@link refuseTooLarge} to drop.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData).off('end', onEnd);
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    request.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/**
 * Answers 413 at once, then reads and drops the rest of the body (up to {@link MAXIMUM_DISCARDED_BYTES}, within
 * the request timeout) before closing: closing on unread bytes resets the connection, and the client would see
 * the reset instead of the answer.
 */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse): void {
  const text = JSON.stringify({ message: 'Payload Too Large' });
  response.writeHead(413, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), connection: 'close' });
  response.write(text);
  if (request.readableEnded) return void response.end();
  let discarded = 0;
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded <= MAXIMUM_DISCARDED_BYTES) return;
    request.off('data', onData).off('end', onEnd);
    response.end(() => request.destroy());
  };
  const onEnd = () => response.end();
  request.on('data', onData).once('end', onEnd);
  request.resume();
}

interface ServerState {
  readonly inspect: ReadonlyMap<string, (query: URLSearchParams) => unknown>;
  /** The token of the actions (POST under `/_local/`), new at each start. */
  readonly token: string;
}

async function route(options: LocalServerOptions, { inspect, token }: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = requestPath(request.url);
  const method = request.method ?? 'GET';
  // Before anything is read or done: the Host (DNS rebinding), the origin, the token (issue 22).
  const refusal = guardRequest(request, path, token);
  if (refusal) {
    send(response, refusal.status, { message: refusal.message });
    options.onGuardRefusal?.({ ...refusal, method, path: request.url ?? '', host: request.headers.host });
    return;
  }
  const refused = (status: number) => {
    if (method === 'POST' || path?.startsWith('/webhooks') === true) options.onRefused?.({ method, path: request.url ?? '', status });
  };
  const notFound = () => {
    send(response, 404, { message: 'Not Found' });
    refused(404);
  };
  if (path === undefined) {
    notFound();
    return;
  }

  if (path === '/health') {
    const { problems } = (await options.health?.()) ?? { problems: [] };
    if (problems.length === 0) send(response, 200, { status: 'ok' });
    else send(response, 503, { status: 'unhealthy', problems });
    return;
  }
  if (path === ACTION_TOKEN_PATH) {
    if (method === 'GET' || method === 'HEAD') send(response, 200, { token }, { 'cache-control': 'no-store' });
    else send(response, 405, { message: 'Method Not Allowed' }, { allow: 'GET' });
    return;
  }
  const query = new URLSearchParams(request.url?.split('?')[1] ?? '');
  // A key ending in `*` takes every path under it (`GET /_local/media/*`).
  const own =
    options.routes?.get(`${method} ${path}`) ??
    [...(options.routes ?? [])].find(([key]) => key.endsWith('*') && `${method} ${path}`.startsWith(key.slice(0, -1)))?.[1];
  if (own) {
    await own(request, response, query);
    return;
  }
  // A route of its own asked with another method (`GET /_local/dead-letters/redrive`): 405 naming the ones it takes.
  const allowed = [...(options.routes?.keys() ?? [])].filter((key) => key.endsWith(` ${path}`)).map((key) => key.slice(0, key.indexOf(' ')));
  if (allowed.length > 0) {
    send(response, 405, { message: 'Method Not Allowed' }, { allow: allowed.join(', ') });
    return;
  }
  // A Map: a name like `constructor` or `__proto__` must not reach an object's own members.
  const inspection = path.startsWith('/_local/') ? inspect.get(path.slice('/_local/'.length)) : undefined;
  if (inspection) {
    if (method !== 'GET') send(response, 405, { message: 'Method Not Allowed' }, { allow: 'GET' });
    else {
      try {
        send(response, 200, await inspection(query));
      } catch (error) {
        if (!(error instanceof InspectQueryError)) throw error;
        send(response, 400, { message: error.message });
      }
    }
    return;
  }

  const match = webhookPathSegments(path);
  const slug = match ? decodePathSegment(match.slug) : undefined;
  const receiver = slug ? options.receivers.get(slug) : undefined;
  if (!match || !slug || !receiver) {
    notFound();
    return;
  }
  if (method !== 'POST') {
    send(response, 405, { message: 'Method Not Allowed' }, { allow: 'POST' });
    refused(405);
    return;
  }

  // Refuse an oversized body before reading it when its length is declared, and stop keeping it otherwise.
  const declared = Number(request.headers['content-length'] ?? 0);
  const body = declared > options.maximumBodyBytes ? undefined : await readBody(request, options.maximumBodyBytes);
  if (!body) {
    refuseTooLarge(request, response);
    refused(413);
    return;
  }

  const kind = match.kind;
  const event = toHttpApiEvent(request, body, {
    routeKey: `POST ${kind ? webhookKindRoute(slug) : webhookPath(slug)}`,
    ...(kind ? { pathParameters: { kind } } : {}),
  });
  const result = await receiver(event, localLambdaContext(`receiver-${slug}`, options.receiverTimeoutMs));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  send(response, result.statusCode ?? 200, result.body ?? '', headers);
}

/**
 * The local stand-in for API Gateway: `POST /webhooks/<provider>[/<kind>]` to the receiver handlers,
 * as HTTP API 2.0 events; `GET /health`; `GET /_local/<name>` for inspection; `GET /_local/console/token`, the token
 * its actions need. It answers only to a loopback `Host` (see {@link guardRequest}) and sends no CORS headers.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const state: ServerState = { inspect: new Map(Object.entries(options.inspect)), token: createActionToken() };
  const timeouts = options.timeouts ?? DEFAULT_REQUEST_TIMEOUTS;
  return createServer(
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    (request, response) => {
      route(options, state, request, response).catch(() => {
        // Like API Gateway when an integration fails: a bare 500, no detail.
        if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
        else response.destroy();
      });
    },
  );
}
