/**
 * The AWS the benchmarked bundles talk to, on loopback: the embedded SQS server (fauxqs) with the gateway's
 * queue topology plus a queue of the same kind for the baseline, a minimal Secrets Manager that answers
 * `GetSecretValue`, and a stand-in X-Ray daemon (a UDP socket that counts the segment documents it receives).
 * The bundles are pointed at them through the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables and the X-Ray
 * SDK's `AWS_XRAY_DAEMON_ADDRESS`, so they run unmodified.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { ensureLocalQueues } from '../../dev/fakes/queues.js';
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
  /** The stand-in X-Ray daemon, `127.0.0.1:<port>`: what Lambda puts in `AWS_XRAY_DAEMON_ADDRESS`. */
  readonly xrayDaemonAddress: string;
  /** Datagrams the stand-in X-Ray daemon received so far: one segment document each. */
  segmentsReceived(): number;
  /** The last few of them (8), as received (`{"format":"json","version":1}\n<document>`), oldest first: what `test/observability/tracing.test.ts` reads. */
  lastSegments(): string[];
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
  const xrayDaemon = await startXrayDaemon();
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
      xrayDaemonAddress: xrayDaemon.address,
      segmentsReceived: xrayDaemon.received,
      lastSegments: xrayDaemon.last,
      async purge() {
        for (const QueueUrl of [queues.queueUrl, baseline.QueueUrl ?? '']) await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      },
      async stop() {
        sqs.destroy();
        secretsManager.closeAllConnections();
        await new Promise<void>((resolve) => secretsManager.close(() => resolve()));
        await fauxqs.stop();
        await xrayDaemon.stop();
      },
    };
  } catch (error) {
    sqs.destroy();
    secretsManager.close();
    await fauxqs.stop();
    await xrayDaemon.stop();
    throw error;
  }
}

/** How many datagrams the stand-in daemon keeps for {@link LocalAws.lastSegments}. */
const KEPT_SEGMENTS = 8;

/**
 * The stand-in X-Ray daemon: a UDP socket on a random loopback port that counts what it receives and keeps the
 * last few datagrams, undecoded (it may share a process with a measured function: it does as little as it can).
 */
async function startXrayDaemon(): Promise<{ address: string; received: () => number; last: () => string[]; stop: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  let received = 0;
  const kept: Buffer[] = [];
  socket.on('message', (datagram: Buffer) => {
    received++;
    kept.push(datagram);
    if (kept.length > KEPT_SEGMENTS) kept.shift();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let stopped = false;
  return {
    address: `127.0.0.1:${socket.address().port}`,
    received: () => received,
    last: () => kept.map((datagram) => datagram.toString('utf8')),
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/**
 * What Lambda adds to the environment of a function with active X-Ray tracing on `nodejs24.x`.
 * `_X_AMZN_TRACE_ID` is not here: Lambda sets it per invocation (`lambdaTraceHeader` in `workload.ts`).
 */
export interface LambdaTracing {
  /** The stand-in daemon: {@link LocalAws.xrayDaemonAddress}. */
  readonly daemonAddress: string;
  /**
   * `LAMBDA_TASK_ROOT`: in Lambda `/var/task`, the folder the function's code is unpacked in; here the bundle's
   * folder (its `index.mjs` and source map), which is the same thing. The X-Ray SDK and Powertools only test that
   * it is set (the SDK then runs in its Lambda mode: a facade segment per invocation, each subsegment streamed
   * to the daemon as it closes); nothing reads from it.
   */
  readonly taskRoot: string;
  /** `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly functionName: string;
}

/** The variables of {@link LambdaTracing}, as Lambda sets them. */
export function lambdaTracingEnvironment(tracing: LambdaTracing): Record<string, string> {
  return {
    LAMBDA_TASK_ROOT: tracing.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: tracing.functionName,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    // The handler setting of every function the stack defines (`index.mjs`, export `handler`); Powertools Tracer
    // names the handler subsegment after it (`## index.handler`).
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: tracing.daemonAddress,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  };
}

/**
 * The environment a bundle runs with, as the CDK stack sets it (`GatewayFunction`, `WebhookReceiverFunction`)
 * plus what Lambda itself provides (region, credentials), pointed at the local AWS. With `tracing`, also what
 * Lambda sets for active tracing, which the stack enables on every function: without it, Powertools Tracer
 * considers itself outside Lambda and sends nothing.
 */
export function functionEnvironment(options: {
  readonly aws?: Pick<LocalAws, 'sqsEndpoint' | 'secretsManagerEndpoint'>;
  readonly tracing?: LambdaTracing;
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
    // Lambda's on a cold start without provisioned concurrency or SnapStart. Powertools reads it at import: without
    // it, no invocation counts as a cold start (no ColdStart metric, log field or trace annotation on the first).
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
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
    ...(options.tracing ? lambdaTracingEnvironment(options.tracing) : {}),
  };
}

/** The real topology's message limit (the local one is the same): what a body's event must fit in. */
export const maximumMessageSizeBytes = queueTopology.maximumMessageSizeBytes;
