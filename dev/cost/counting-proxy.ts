/**
 * A loopback HTTP proxy that forwards every request to a local AWS endpoint (dynalite, fauxqs) and keeps what it
 * saw: the operation (`X-Amz-Target`, or the method and path) and the request body. The cost command points the
 * bundles at it to count the DynamoDB, S3 and Firehose calls a batch makes, as AWS would bill them. Each answer can
 * be held back as long as the same call takes in AWS, and an {@link InFlight} clock shared by the proxies measures
 * how long the caller had at least one call outstanding: its wait, calls made side by side counted once.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy forwarded. */
export interface SeenRequest {
  /** `DynamoDB_20120810.PutItem`, or `PUT /bucket/key` for a REST API. */
  readonly operation: string;
  readonly body: Buffer;
}

/** Milliseconds during which at least one request was outstanding, over every proxy that shares it. */
export class InFlight {
  #open = 0;
  #since = 0;
  #total = 0;

  start(): void {
    if (this.#open++ === 0) this.#since = performance.now();
  }

  end(): void {
    if (--this.#open === 0) this.#total += performance.now() - this.#since;
  }

  /** The total so far, and starts again from zero. */
  take(): number {
    const total = this.#total + (this.#open > 0 ? performance.now() - this.#since : 0);
    this.#total = 0;
    if (this.#open > 0) this.#since = performance.now();
    return total;
  }
}

export interface CountingProxyOptions {
  /** Holds each answer back this long (a same-region call's latency). @default 0 */
  readonly latencyMs?: number;
  /** The clock of outstanding requests. @default - one of its own */
  readonly inFlight?: InFlight;
}

export interface CountingProxy {
  readonly endpoint: string;
  /** The requests forwarded so far, oldest first. */
  readonly seen: SeenRequest[];
  /** Forgets what was seen. */
  reset(): void;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);

function forwardable(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue;
    out.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/**
 * Starts a proxy to `target` (`http://127.0.0.1:<port>`) on a free loopback port.
 *
 * @example const proxy = await startCountingProxy(dynamodb.endpoint); process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
 */
export async function startCountingProxy(target: string, options: CountingProxyOptions = {}): Promise<CountingProxy> {
  const seen: SeenRequest[] = [];
  const inFlight = options.inFlight ?? new InFlight();
  const latencyMs = options.latencyMs ?? 0;
  const server = createServer((request, response) => {
    inFlight.start();
    response.on('close', () => inFlight.end());
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const amzTarget = request.headers['x-amz-target'];
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      seen.push({ operation: typeof amzTarget === 'string' ? amzTarget : `${request.method ?? 'GET'} ${path}`, body });
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      fetch(new URL(request.url ?? '/', target), { method: request.method ?? 'GET', headers: forwardable(request.headers), ...(hasBody ? { body } : {}) })
        .then(async (answer) => {
          const headers: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
          });
          const payload = Buffer.from(await answer.arrayBuffer());
          if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
          response.writeHead(answer.status, { ...headers, 'content-length': String(payload.length) });
          response.end(payload);
        })
        .catch((error: unknown) => {
          response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    seen,
    reset: () => void seen.splice(0),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
