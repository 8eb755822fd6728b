/** A test HTTP server on a loopback address whose routes the tests set, counting the requests each path got. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestMediaServer {
  /** `http://<host>:<port>` */
  readonly origin: string;
  readonly routes: Map<string, Route>;
  /** Requests by path, with the headers they came with. */
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  stop(): Promise<void>;
}

export async function startTestMediaServer(host = '127.0.0.1'): Promise<TestMediaServer> {
  const routes = new Map<string, Route>();
  const requests: TestMediaServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, headers: request.headers });
    const route = routes.get(path);
    if (route) route(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${String(port)}`,
    routes,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
