import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';
import { decodePathSegment } from '../receiver/http-api-event.js';
import { requestUrl, toHttpApiEvent } from './http-api-event.js';

export type ReceiverHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalServerOptions {
  /** Receiver handler per provider slug. */
  readonly receivers: ReadonlyMap<string, ReceiverHandler>;
  /** Largest body read; a longer one is answered 413 without being read to the end. */
  readonly maximumBodyBytes: number;
  /** The receivers' Lambda timeout, for their context's clock. */
  readonly receiverTimeoutMs: number;
  /** `GET /_local/*` inspection endpoints. */
  readonly inspect: Readonly<Record<string, () => unknown>>;
}

const WEBHOOK_PATH = /^\/webhooks\/([^/]+)(?:\/([^/]+))?\/?$/;

function send(response: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/** Reads the body up to `limit` bytes; undefined when it is longer (the rest is not read). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function route(options: LocalServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = requestUrl(request.url).pathname;
  const method = request.method ?? 'GET';

  if (path === '/health') return send(response, 200, { status: 'ok' });
  const inspect = path.startsWith('/_local/') ? options.inspect[path.slice('/_local/'.length)] : undefined;
  if (inspect) {
    if (method !== 'GET') return send(response, 405, { message: 'Method Not Allowed' }, { allow: 'GET' });
    return send(response, 200, await inspect());
  }

  const match = WEBHOOK_PATH.exec(path);
  const slug = match?.[1] ? decodePathSegment(match[1]) : undefined;
  const receiver = slug ? options.receivers.get(slug) : undefined;
  if (!match || !slug || !receiver) return send(response, 404, { message: 'Not Found' });
  if (method !== 'POST') return send(response, 405, { message: 'Method Not Allowed' }, { allow: 'POST' });

  // Refuse an oversized body before reading it when its length is declared, and stop reading it otherwise.
  const declared = Number(request.headers['content-length'] ?? 0);
  const body = declared > options.maximumBodyBytes ? undefined : await readBody(request, options.maximumBodyBytes);
  if (!body) {
    response.once('finish', () => request.destroy());
    return send(response, 413, { message: 'Payload Too Large' }, { connection: 'close' });
  }

  const kind = match[2];
  const event = toHttpApiEvent(request, body, {
    routeKey: kind ? `POST /webhooks/${slug}/{kind}` : `POST /webhooks/${slug}`,
    ...(kind ? { pathParameters: { kind } } : {}),
  });
  const result = await receiver(event, localLambdaContext(`receiver-${slug}`, options.receiverTimeoutMs));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  send(response, result.statusCode ?? 200, result.body ?? '', headers);
}

/**
 * The local stand-in for API Gateway: `POST /webhooks/<provider>[/<kind>]` to the receiver handlers,
 * as HTTP API 2.0 events; `GET /health`; `GET /_local/<name>` for inspection.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  return createServer((request, response) => {
    route(options, request, response).catch(() => {
      // Like API Gateway when an integration fails: a bare 500, no detail.
      if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
}
