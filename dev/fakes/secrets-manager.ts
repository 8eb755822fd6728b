/**
 * A minimal Secrets Manager speaking its JSON protocol on a loopback port: enough for `GetSecretValue`.
 * Secrets are set per id; an unknown id is answered `ResourceNotFoundException`, as AWS does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerStandIn {
  readonly endpoint: string;
  /** The `SecretString` served per secret id; change it to simulate a rotation. */
  readonly secrets: Map<string, string>;
  /** `GetSecretValue` calls answered so far. */
  calls: number;
  close(): Promise<void>;
}

export async function startSecretsManager(secrets: ReadonlyMap<string, string> = new Map()): Promise<SecretsManagerStandIn> {
  const state: SecretsManagerStandIn = { endpoint: '', secrets: new Map(secrets), calls: 0, close: () => Promise.resolve() };
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let text = '';
    for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
    const { SecretId } = JSON.parse(text || '{}') as { SecretId?: string };
    const value = SecretId === undefined ? undefined : state.secrets.get(SecretId);
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
      return;
    }
    state.calls++;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: value, VersionId: 'v1' }));
  };
  const server: Server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
