/**
 * An AWS endpoint that misbehaves on demand, in front of a real (embedded) one: the faults fauxqs and the
 * Secrets Manager stand-in cannot produce themselves. `forward` passes requests through; `slow` passes them
 * through and answers `delayMs` later (the upstream has acted on the request by then); `hang` accepts and never
 * answers; `error` answers AWS-style 500s; `refuse` closes every connection as it arrives; `unprocessed` answers
 * DynamoDB's next `unprocessedLeft` BatchGetItem requests with every key unprocessed (a throttled table), and
 * forwards everything else and the reads after them.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = 'forward' | 'slow' | 'hang' | 'error' | 'refuse' | 'unprocessed';

export interface FaultyEndpoint {
  readonly endpoint: string;
  mode: FaultMode;
  /** How long `slow` holds an answer back. */
  delayMs: number;
  /** How many more BatchGetItem requests `unprocessed` answers with every key unprocessed. */
  unprocessedLeft: number;
  /** Requests that reached the proxy in each mode. */
  readonly seen: Record<FaultMode, number>;
  /** The headers of every request that reached the proxy, in order. */
  readonly headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** The 500 an AWS service answers with: content type and error body of its JSON protocol. */
interface ErrorAnswer {
  readonly contentType: string;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

const SQS_ERROR: ErrorAnswer = {
  contentType: 'application/x-amz-json-1.0',
  headers: { 'x-amzn-query-error': 'InternalError;Receiver' },
  body: JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'injected failure' }),
};

const SECRETS_MANAGER_ERROR: ErrorAnswer = {
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify({ __type: 'InternalServiceError', message: 'injected failure' }),
};

function startFaultyEndpoint(target: string, mode: FaultMode, errorAnswer: ErrorAnswer): Promise<FaultyEndpoint> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state: FaultyEndpoint = {
    endpoint: '',
    mode,
    delayMs: 3_000,
    unprocessedLeft: 1,
    seen: { forward: 0, slow: 0, hang: 0, error: 0, refuse: 0, unprocessed: 0 },
    headers: [],
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const batchRead = req.headers['x-amz-target'] === 'DynamoDB_20120810.BatchGetItem';
    const current = state.mode === 'unprocessed' && !(batchRead && state.unprocessedLeft > 0) ? 'forward' : state.mode;
    state.seen[current]++;
    state.headers.push(req.headers);
    if (current === 'unprocessed') {
      state.unprocessedLeft--;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { RequestItems } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RequestItems: Record<string, unknown> };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Responses: Object.fromEntries(Object.keys(RequestItems).map((table) => [table, []])), UnprocessedKeys: RequestItems }));
      });
      return;
    }
    if (current === 'hang') return; // keep the socket open, say nothing
    if (current === 'error') {
      res.writeHead(500, { 'content-type': errorAnswer.contentType, ...errorAnswer.headers });
      res.end(errorAnswer.body);
      return;
    }
    const proxied = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const pass = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (current !== 'slow') {
          pass();
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          pass();
        }, state.delayMs);
        timers.add(timer);
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
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(state, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))),
  );
}

const DYNAMODB_ERROR: ErrorAnswer = {
  contentType: 'application/x-amz-json-1.0',
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected failure' }),
};

/** A faulty proxy in front of a DynamoDB endpoint (dynalite). */
export function startFaultyDynamoDb(target: string, mode: FaultMode = 'forward'): Promise<FaultyEndpoint> {
  return startFaultyEndpoint(target, mode, DYNAMODB_ERROR);
}

/** A faulty proxy in front of an S3 endpoint (fauxqs's S3); its errors are SQS-shaped, which S3 clients take as a 500 all the same. */
export function startFaultyS3(target: string, mode: FaultMode = 'forward'): Promise<FaultyEndpoint> {
  return startFaultyEndpoint(target, mode, SQS_ERROR);
}

/** A faulty proxy in front of an SQS endpoint (fauxqs). */
export function startFaultySqs(target: string, mode: FaultMode = 'forward'): Promise<FaultyEndpoint> {
  return startFaultyEndpoint(target, mode, SQS_ERROR);
}

/** A faulty proxy in front of a Secrets Manager endpoint (the stand-in of `secrets-manager.ts`). */
export function startFaultySecretsManager(target: string, mode: FaultMode = 'forward'): Promise<FaultyEndpoint> {
  return startFaultyEndpoint(target, mode, SECRETS_MANAGER_ERROR);
}

/** A loopback port nothing listens on: connections to it are refused by the OS. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
