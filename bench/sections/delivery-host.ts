/**
 * Child process: the worker with one HTTPS destination to a receiver on loopback, on the embedded SQS (fauxqs) and
 * DynamoDB (dynalite), driven by the local poller as Lambda's event source drives it; logging at INFO as in
 * production. `run` puts `conversations × perConversation` events on the queue (interleaved, as they arrive) and
 * measures, at the receiver, events delivered per second and the time added from accepted (SendMessage answered)
 * to delivered (the request at the endpoint).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { startLoopbackFauxqs } from '../../dev/fakes/fauxqs.js';
import { ensureLocalQueues, queuesAt } from '../../dev/fakes/queues.js';
import { startPoller } from '../../dev/local/poller.js';
import { createDestinations } from '../../lib/destinations/destinations.js';
import { DestinationsSchema } from '../../lib/destinations/settings.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { LOOPBACK_ALLOWED } from '../../lib/net/outbound.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { createParkStore } from '../../lib/parking/park-store.js';
import { localRetryPolicy } from '../../lib/parking/retry-policy.js';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { messageGroupId, serialiseEvent } from '../../lib/queue/enqueue.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { createEventIdempotency } from '../../lib/worker/idempotency.js';
import { summarise } from '../lib/summary.js';
import { serveBenchCommands } from '../lib/child.js';

/** A bench-only signing key (36 bytes of letters and digits), not a credential of anything. */
const BENCH_SECRET = 'whsec_QmVuY2hPbmx5U2lnbmluZ0tleUZvckRlbGl2ZXJ5UnVu';
const REGION = 'us-east-1';

function event(id: string, conversation: string): WebhookEvent {
  return {
    specversion: '1.0',
    id,
    source: '/webhooks/chatzuri',
    type: 'message.received',
    time: new Date().toISOString(),
    subject: conversation,
    datacontenttype: 'application/json',
    provider: 'chatzuri',
    data: {
      conversationId: conversation,
      channel: 'web',
      raw: { text: `text of ${id}` },
      sender: { id: null, name: null, email: null, phone: null, role: null },
      message: { id, type: 'text', text: `text of ${id}` },
    },
  };
}

// The receiver: when each event arrived, in arrival order.
const arrivals: { id: string; conversation: string; at: number }[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const at = performance.now();
    const delivered = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookEvent;
    arrivals.push({ id: delivered.id, conversation: delivered.subject ?? '', at });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;

const fauxqs = await startLoopbackFauxqs({ port: 0, logger: false });
const dynamodb = await startEmbeddedDynamoDb();
const sqs = createSqsClient({ endpoint: fauxqs.address, region: REGION });
const queues = queuesAt(await ensureLocalQueues(sqs, localQueueTopology), fauxqs.address);
const logger = createLogger({ logLevel: 'INFO' });
// `handler`: the same events to an in-process code handler instead, the baseline of what a destination adds.
const mode = process.env.BENCH_DELIVERY_MODE === 'handler' ? 'handler' : 'destination';
const worker = createWorkerHandler({
  handlers: mode === 'handler' ? { 'message.received': (delivered: WebhookEvent) => void arrivals.push({ id: delivered.id, conversation: delivered.subject ?? '', at: performance.now() }) } : {},
  logger,
  idempotency: createEventIdempotency({ endpoint: dynamodb.endpoint, tableName: dynamodb.tableName, expiresAfterSeconds: 3_600, region: REGION }),
  parkStore: createParkStore({ endpoint: dynamodb.endpoint, tableName: dynamodb.parkTableName, region: REGION }),
  retry: localRetryPolicy,
  queue: { sqs, queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl },
  destinations: createDestinations(DestinationsSchema.parse(mode === 'handler' ? [] : [{ type: 'https', name: 'bench', url: receiverUrl }]), {
    secrets: { getSecrets: () => Promise.resolve({ secrets: [BENCH_SECRET] }) },
    policy: LOOPBACK_ALLOWED,
    logger,
  }),
});

const poller = startPoller({
  sqs: createSqsClient({ endpoint: fauxqs.address, region: REGION, requestTimeoutMs: 5_000 }),
  queueUrl: queues.queueUrl,
  queueArn: queues.queueArn,
  region: REGION,
  handler: worker,
  batchSize: localQueueTopology.batchSize,
  concurrency: Number(process.env.BENCH_WORKER_CONCURRENCY ?? 10),
  functionTimeoutMs: localQueueTopology.workerTimeoutSeconds * 1_000,
});
// As the receivers send, without their 1.6 s answer budget: the sending side is not what is measured here.
const sendingSqs = createSqsClient({ endpoint: fauxqs.address, region: REGION, requestTimeoutMs: 10_000 });
const enqueue = (next: WebhookEvent) =>
  sendingSqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: serialiseEvent(next), MessageGroupId: messageGroupId(next), MessageDeduplicationId: next.id }));

interface RunArgs {
  readonly conversations: number;
  readonly perConversation: number;
  /** Milliseconds between rounds (one event of every conversation each): 0 sends them as fast as the queue takes them. */
  readonly roundGapMs: number;
}

/**
 * Sends `perConversation` rounds of one event per conversation and waits until every one arrived (or nothing arrived
 * for 30 s). Per event: when SendMessage was answered (accepted) and when the endpoint got it.
 */
async function run({ conversations, perConversation, roundGapMs }: RunArgs) {
  arrivals.length = 0;
  const prefix = `r${String(Date.now())}`;
  const total = conversations * perConversation;
  const accepted = new Map<string, number>();
  const started = performance.now();
  for (let position = 0; position < perConversation; position++) {
    const round = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, conversation) => {
        const next = event(`${prefix}-${String(conversation)}-${String(position)}`, `${prefix}-c${String(conversation)}`);
        await enqueue(next);
        accepted.set(next.id, performance.now());
      }),
    );
    const wait = roundGapMs - (performance.now() - round);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  // Bounded: gives up when nothing arrived for 30 s.
  let lastCount = -1;
  let lastProgress = performance.now();
  while (new Set(arrivals.map((arrival) => arrival.id)).size < total && performance.now() - lastProgress < 30_000) {
    if (arrivals.length !== lastCount) {
      lastCount = arrivals.length;
      lastProgress = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const firstArrival = new Map<string, number>();
  const order = new Map<string, number[]>();
  for (const arrival of arrivals) {
    if (firstArrival.has(arrival.id)) continue;
    firstArrival.set(arrival.id, arrival.at);
    order.set(arrival.conversation, [...(order.get(arrival.conversation) ?? []), Number(arrival.id.split('-').at(-1))]);
  }
  let outOfOrder = 0;
  for (const positions of order.values()) outOfOrder += positions.filter((position, index) => index > 0 && position < (positions[index - 1] ?? 0)).length;
  const last = Math.max(...firstArrival.values());
  const added = summarise(
    [...firstArrival].map(([id, at]) => at - (accepted.get(id) ?? at)),
    1,
  );
  return {
    events: total,
    conversations,
    delivered: firstArrival.size,
    duplicates: arrivals.length - firstArrival.size,
    outOfOrder,
    deliveredPerSec: Math.round(firstArrival.size / ((last - started) / 1_000)),
    addedP50Ms: added.median,
    addedP99Ms: added.p99,
  };
}

serveBenchCommands(
  { run: (args: RunArgs) => run(args) },
  async () => {
    await poller.stop();
    await dynamodb.stop();
    await fauxqs.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  },
);
