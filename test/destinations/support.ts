/**
 * A worker with destinations over the real wire: the embedded SQS (fauxqs), dynalite for the idempotency records and
 * the park store, the worker driven by the local poller as Lambda's event source drives it, and receivers on
 * 127.0.0.1 that tests make fail, hang, redirect or answer as they please.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../../dev/fakes/dynamodb.js';
import { startLoopbackFauxqs } from '../../dev/fakes/fauxqs.js';
import { ensureLocalQueues, queuesAt } from '../../dev/fakes/queues.js';
import { startPoller } from '../../dev/local/poller.js';
import { createDestinations } from '../../lib/destinations/destinations.js';
import { DestinationsSchema, type DestinationInput } from '../../lib/destinations/settings.js';
import type { DeliveryAttempt } from '../../lib/destinations/types.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import type { EventHandlers } from '../../lib/handlers/types.js';
import { LOOPBACK_ALLOWED, type OutboundPolicy } from '../../lib/net/outbound.js';
import { createParkStore, type ParkStore } from '../../lib/parking/park-store.js';
import { localRetryPolicy, type RetryPolicy } from '../../lib/parking/retry-policy.js';
import { enqueueEvent } from '../../lib/queue/enqueue.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { createEventIdempotency } from '../../lib/worker/idempotency.js';
import { cloudEvent } from '../support/events.js';

/** A TEST signing secret (24 random-looking bytes), not a credential of anything. */
export const TEST_SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** One request a test receiver got. */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: WebhookEvent;
}

/** How a receiver answers a request: a status and headers, `hang` (never answers), or `drop` (closes the connection after reading it). */
type Answer = { readonly status: number; readonly headers?: Record<string, string> } | 'hang' | 'drop';

export interface TestReceiver {
  readonly url: string;
  /** Every request, in arrival order. */
  readonly received: Received[];
  /** Decides each answer; 204 by default. */
  answer: (request: Received, index: number) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 that records every request and answers as `answer` says. */
export async function startReceiver(answer: TestReceiver['answer'] = () => ({ status: 204 })): Promise<TestReceiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: TestReceiver = {
    url: '',
    received: [],
    answer,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { headers: request.headers, body, event: JSON.parse(body) as WebhookEvent };
      const index = receiver.received.push(received) - 1;
      void Promise.resolve(receiver.answer(received, index)).then((decided) => {
        if (decided === 'hang') hanging.add(response);
        else if (decided === 'drop') request.socket.destroy();
        else response.writeHead(decided.status, decided.headers).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (receiver as { url: string }).url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`;
  return receiver;
}

export interface DeliveryPipeline {
  readonly attempts: DeliveryAttempt[];
  /** Events whose code handler ran, in order. */
  readonly handled: WebhookEvent[];
  readonly parkStore: ParkStore;
  /** Puts events on the FIFO queue as the receivers do (group: provider and conversation). */
  send(events: readonly WebhookEvent[]): Promise<void>;
  stop(): Promise<void>;
}

export interface PipelineOptions {
  readonly destinations: readonly DestinationInput[];
  readonly handlers?: EventHandlers;
  readonly retry?: RetryPolicy;
  readonly policy?: OutboundPolicy;
  readonly secrets?: readonly string[];
  readonly eventBridge?: EventBridgeClient;
  readonly concurrency?: number;
}

/** The whole worker side, with `destinations`, on the embedded SQS and DynamoDB; stop it after the test. */
export async function startDeliveryPipeline(options: PipelineOptions): Promise<DeliveryPipeline> {
  const fauxqs = await startLoopbackFauxqs({ port: 0, logger: false });
  let dynamodb: EmbeddedDynamoDb | undefined;
  try {
    dynamodb = await startEmbeddedDynamoDb();
    const sqs = createSqsClient({ endpoint: fauxqs.address, region: 'us-east-1' });
    const queues = queuesAt(await ensureLocalQueues(sqs, localQueueTopology), fauxqs.address);
    const parkStore = createParkStore({ endpoint: dynamodb.endpoint, tableName: dynamodb.parkTableName, region: 'us-east-1' });
    const attempts: DeliveryAttempt[] = [];
    const handled: WebhookEvent[] = [];
    const logger = new Logger({ logLevel: (process.env.TEST_LOG_LEVEL ?? 'SILENT') as 'SILENT' });
    const destinations = createDestinations(DestinationsSchema.parse(options.destinations), {
      secrets: { getSecrets: () => Promise.resolve({ secrets: [...(options.secrets ?? [TEST_SIGNING_SECRET])] }) },
      policy: options.policy ?? LOOPBACK_ALLOWED,
      eventBridge: options.eventBridge,
      onAttempt: (attempt) => attempts.push(attempt),
      logger,
    });
    const worker = createWorkerHandler({
      handlers: options.handlers ?? { 'message.received': (event: WebhookEvent) => void handled.push(event) },
      logger,
      idempotency: createEventIdempotency({ endpoint: dynamodb.endpoint, tableName: dynamodb.tableName, expiresAfterSeconds: 3_600, region: 'us-east-1' }),
      parkStore,
      retry: options.retry ?? localRetryPolicy,
      queue: { sqs, queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl },
      destinations,
    });
    const poller = startPoller({
      sqs: createSqsClient({ endpoint: fauxqs.address, region: 'us-east-1', requestTimeoutMs: 5_000 }),
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      region: 'us-east-1',
      handler: worker,
      batchSize: localQueueTopology.batchSize,
      concurrency: options.concurrency ?? 4,
      functionTimeoutMs: localQueueTopology.workerTimeoutSeconds * 1_000,
    });
    const db = dynamodb;
    return {
      attempts,
      handled,
      parkStore,
      async send(events) {
        for (const event of events) await enqueueEvent({ sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes }, event, { deduplicationId: event.id });
      },
      async stop() {
        await poller.stop();
        await db.stop();
        await fauxqs.stop();
      },
    };
  } catch (error) {
    await dynamodb?.stop();
    await fauxqs.stop();
    throw error;
  }
}

/** `count` events of one conversation, ids `<prefix>-000`…, in order. */
export function conversationEvents(prefix: string, conversation: string, count: number): WebhookEvent[] {
  return Array.from({ length: count }, (_, index) => cloudEvent(`${prefix}-${String(index).padStart(3, '0')}`, conversation));
}
