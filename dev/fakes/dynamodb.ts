/**
 * An embedded DynamoDB-compatible server (dynalite) in a child process of its own, with the idempotency table of
 * `lib/worker/idempotency-table.ts` and the park table of `lib/parking/park-table.ts`: in memory, or kept in a
 * folder across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { idempotencyTable, type IdempotencyTableDefinition } from '../../lib/worker/idempotency-table.js';
import { parkTable } from '../../lib/parking/park-table.js';

export interface EmbeddedDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The idempotency table's name there. */
  readonly tableName: string;
  /** The park table's name there. */
  readonly parkTableName: string;
  /** Stops the server (its records stay in `path`, when it has one). */
  stop(): Promise<void>;
}

/** dynalite did not start; the message is the one line to show. */
export class EmbeddedDynamoDbError extends Error {
  override readonly name = 'EmbeddedDynamoDbError';
}

export interface EmbeddedDynamoDbOptions {
  /** A folder for the LevelDB store: the records survive a restart. @default - in memory */
  readonly path?: string | undefined;
  readonly table?: IdempotencyTableDefinition;
}

// The child: dynalite on a free loopback port, which it reports on its first line; it ends with its parent (stdin
// closes), so a killed `npm start` leaves no server behind.
const CHILD = `
const dynalite = require(process.argv[1]);
const options = JSON.parse(process.argv[2]);
const server = dynalite(options);
const stop = () => server.close(() => process.exit(0));
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
`;

/** A client for a local endpoint: any credentials do. */
function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Creates a table with string keys when it is missing, through the DynamoDB API, so it works against dynalite and
 * any other DynamoDB-compatible endpoint. (TTL is not set: dynalite does not implement it; Powertools treats an
 * expired record as absent anyway, and an attempt counter that outlives its TTL only counts on.)
 */
async function ensureTable(client: DynamoDBClient, name: string, keys: readonly { name: string; type: 'HASH' | 'RANGE' }[]): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: 'S' })),
        KeySchema: keys.map((key) => ({ AttributeName: key.name, KeyType: key.type })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    // Kept from an earlier run.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let tries = 0; tries < 100; tries++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${name} did not become active`);
}

/** Starts dynalite in its own process and creates the idempotency and park tables there. */
export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions = {}): Promise<EmbeddedDynamoDb> {
  const table = options.table ?? idempotencyTable;
  if (options.path) await mkdir(options.path, { recursive: true });
  const dynalitePath = fileURLToPath(import.meta.resolve('dynalite'));
  const settings = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) };
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD, dynalitePath, JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Its errors are kept for the message of a failed start, not printed as a stack trace.
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-2_000)));
  const failedStart = () => {
    const cause = /^\w*Error: .*$/m.exec(errors)?.[0] ?? `exit code ${String(child.exitCode)}`;
    const hint = options.path ? `; is ${options.path} in use by another npm start? Stop that one first` : '';
    return new EmbeddedDynamoDbError(`the embedded DynamoDB server (dynalite) did not start (${cause})${hint}`);
  };

  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', () => reject(failedStart()));
  });
  const endpoint = `http://127.0.0.1:${port}`;

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // Graceful: LevelDB closes its files. Forced if that takes long.
    const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forced);
  }

  const client = localClient(endpoint);
  try {
    await ensureTable(client, table.localName, [{ name: table.partitionKey, type: 'HASH' }]);
    await ensureTable(client, parkTable.localName, [
      { name: parkTable.partitionKey, type: 'HASH' },
      { name: parkTable.sortKey, type: 'RANGE' },
    ]);
  } catch (error) {
    // It opens its store on the first request: a store it cannot open ends it then.
    const ended = child.exitCode !== null;
    await stop();
    throw ended ? failedStart() : error;
  } finally {
    client.destroy();
  }
  return { endpoint, tableName: table.localName, parkTableName: parkTable.localName, stop };
}
