/**
 * The AWS the benchmarked bundles talk to, on loopback: the embedded SQS server (fauxqs) with the gateway's
 * queue topology plus a queue of the same kind for the baseline, and a minimal Secrets Manager that answers
 * `GetSecretValue`. The bundles are pointed at them through the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables, so they run unmodified.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { ensureLocalQueues } from '../../lib/local/queues.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/observability/names.js';
import { mainQueueAttributes } from '../../lib/queue/attributes.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology, queueTopology } from '../../lib/queue/topology.js';

export const BENCH_REGION = 'us-east-1';

/** The ARN under which a provider's secret is served. */
export function benchSecretArn(slug: string): string {
  return `arn:aws:secretsmanager:${BENCH_REGION}:000000000000:secret:chat-webhook-gateway/${slug}-AbCdEf`;
}

export interface LocalAws {
  readonly sqsEndpoint: string;
  readonly secretsManagerEndpoint: string;
  /** The gateway's FIFO queue (the local topology). */
  readonly queueUrl: string;
  /** A FIFO queue with the same attributes, for the baseline. */
  readonly baselineQueueUrl: string;
  /** `GetSecretValue` calls answered so far. */
  secretFetches(): number;
  /** Empties both queues, so that a long run does not pile megabytes of messages up in memory. */
  purge(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs and the Secrets Manager stand-in on random loopback ports.
 *
 * @param secrets - secret value per secret ARN; the stand-in answers `{"current": value}`
 */
export async function startLocalAws(secrets: ReadonlyMap<string, string>): Promise<LocalAws> {
  const fauxqs: FauxqsServer = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  let fetches = 0;
  const secretsManager: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      fetches++;
      const { SecretId } = JSON.parse(text || '{}') as { SecretId?: string };
      const value = SecretId === undefined ? undefined : secrets.get(SecretId);
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: JSON.stringify({ current: value }), VersionId: 'bench' }));
    });
  });
  await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', () => resolve()));

  const sqs = createSqsClient({ endpoint: fauxqs.address, region: BENCH_REGION });
  try {
    const queues = await ensureLocalQueues(sqs, localQueueTopology);
    const baseline = await sqs.send(
      new CreateQueueCommand({ QueueName: 'bench-baseline.fifo', Attributes: mainQueueAttributes(localQueueTopology, queues.deadLetterQueueArn) }),
    );
    if (!baseline.QueueUrl) throw new Error('bench: no URL for the baseline queue');
    // fauxqs names its queues `http://sqs.<region>.127.0.0.1:<port>/...`, which is no valid URL. In AWS the queue
    // URL's origin is the SQS endpoint, and the SDK checks the two against each other on every request
    // (`useQueueUrlAsEndpoint`); so here too: the endpoint's origin with the queue's path, which fauxqs accepts.
    const onEndpoint = (url: string) => `${fauxqs.address}${url.replace(/^https?:\/\/[^/]+/, '')}`;
    return {
      sqsEndpoint: fauxqs.address,
      secretsManagerEndpoint: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
      queueUrl: onEndpoint(queues.queueUrl),
      baselineQueueUrl: onEndpoint(baseline.QueueUrl),
      secretFetches: () => fetches,
      async purge() {
        for (const QueueUrl of [queues.queueUrl, baseline.QueueUrl ?? '']) await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      },
      async stop() {
        sqs.destroy();
        secretsManager.closeAllConnections();
        await new Promise<void>((resolve) => secretsManager.close(() => resolve()));
        await fauxqs.stop();
      },
    };
  } catch (error) {
    sqs.destroy();
    secretsManager.close();
    await fauxqs.stop();
    throw error;
  }
}

/**
 * The environment a bundle runs with, as the CDK stack sets it (`GatewayFunction`, `WebhookReceiverFunction`)
 * plus what Lambda itself provides (region, credentials), pointed at the local AWS.
 */
export function functionEnvironment(options: {
  readonly aws?: Pick<LocalAws, 'sqsEndpoint' | 'secretsManagerEndpoint'>;
  readonly queueUrl: string;
  readonly secretArn?: string;
  readonly baselineSecret?: string;
  readonly nodeOptions?: string;
  readonly logLevel?: string;
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // Lambda hands every function its role's credentials in the environment.
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-not-a-credential',
    AWS_SESSION_TOKEN: 'bench-session-token',
    ...(options.aws ? { AWS_ENDPOINT_URL_SQS: options.aws.sqsEndpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: options.aws.secretsManagerEndpoint } : {}),
    ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    QUEUE_URL: options.queueUrl,
    ...(options.secretArn ? { PROVIDER_SECRET_ARN: options.secretArn } : {}),
    SECRETS_MAX_AGE_SECONDS: '300',
    SIGNATURE_VERIFICATION: 'enforced',
    ...(options.baselineSecret ? { BASELINE_SECRET: options.baselineSecret } : {}),
  };
}

/** The real topology's message limit (the local one is the same): what a body's event must fit in. */
export const maximumMessageSizeBytes = queueTopology.maximumMessageSizeBytes;
