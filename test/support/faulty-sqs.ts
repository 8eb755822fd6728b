/**
 * An SQS endpoint that misbehaves on demand, in front of the real (embedded) one: the faults fauxqs
 * cannot produce itself. `forward` passes requests through; `hang` accepts and never answers; `error`
 * answers SQS-style 500s; `refuse` closes every connection as it arrives.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = 'forward' | 'hang' | 'error' | 'refuse';

export interface FaultySqs {
  readonly endpoint: string;
  mode: FaultMode;
  /** Requests that reached the proxy in each mode. */
  readonly seen: Record<FaultMode, number>;
  /** The headers of every request that reached the proxy, in order. */
  readonly headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startFaultySqs(target: string, mode: FaultMode = 'forward'): Promise<FaultySqs> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const state: FaultySqs = {
    endpoint: '',
    mode,
    seen: { forward: 0, hang: 0, error: 0, refuse: 0 },
    headers: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    state.seen[state.mode]++;
    state.headers.push(req.headers);
    if (state.mode === 'hang') return; // keep the socket open, say nothing
    if (state.mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InternalError;Receiver' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'injected failure' }));
      return;
    }
    const proxied = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  server.on('connection', (socket) => {
    if (state.mode === 'refuse') {
      state.seen.refuse++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  Object.assign(state, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return state;
}

/** A loopback port nothing listens on: connections to it are refused by the OS. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
