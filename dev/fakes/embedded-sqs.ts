import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { startLoopbackFauxqs } from './fauxqs.js';
import { ensureLocalQueues, queuesAt, type LocalQueues } from './queues.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology, type QueueTopology } from '../../lib/queue/topology.js';

/** An embedded SQS server with the gateway's queues, and a client for it. */
export interface EmbeddedSqs {
  readonly fauxqs: FauxqsServer;
  readonly sqs: SQSClient;
  readonly queues: LocalQueues;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on a free loopback port and creates the queues of `topology` through the SQS API.
 * `requestTimeoutMs` loosens the client's per-request timeout for tests that long-poll or run under load.
 */
export async function startEmbeddedSqs(options: { topology?: QueueTopology; requestTimeoutMs?: number } = {}): Promise<EmbeddedSqs> {
  const fauxqs = await startLoopbackFauxqs({ port: 0, logger: false });
  const sqs = createSqsClient({ endpoint: fauxqs.address, ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}) });
  const queues = queuesAt(await ensureLocalQueues(sqs, options.topology ?? localQueueTopology), fauxqs.address);
  return {
    fauxqs,
    sqs,
    queues,
    async stop() {
      sqs.destroy();
      await fauxqs.stop();
    },
  };
}
