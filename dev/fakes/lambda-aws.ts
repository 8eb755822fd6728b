/**
 * The AWS a Lambda bundle talks to, on loopback, and the environment Lambda gives it: the embedded SQS server with
 * the gateway's queue topology (plus a spare FIFO queue of the same kind), the Secrets Manager stand-in and a
 * stand-in X-Ray daemon. Bundles are pointed at them through the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables
 * and `AWS_XRAY_DAEMON_ADDRESS`, so they run unmodified (the benchmark, `test/observability/tracing.test.ts`).
 */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lib/observability/names.js';
import { mainQueueAttributes } from '../../lib/queue/attributes.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { startEmbeddedSqs } from './embedded-sqs.js';
import { queueUrlAt } from './queues.js';
import { startSecretsManager } from './secrets-manager.js';
import { startXrayDaemon } from './xray-daemon.js';

export const LOCAL_REGION = 'us-east-1';

/** The ARN under which a provider's secret is served. */
export function localSecretArn(slug: string): string {
  return `arn:aws:secretsmanager:${LOCAL_REGION}:000000000000:secret:chat-webhook-gateway/${slug}-AbCdEf`;
}

export interface LambdaAws {
  readonly sqsEndpoint: string;
  readonly secretsManagerEndpoint: string;
  /** The gateway's FIFO queue (the local topology). */
  readonly queueUrl: string;
  /** Another FIFO queue with the same attributes (the benchmark's baseline sends to it). */
  readonly spareQueueUrl: string;
  /** `GetSecretValue` calls answered so far. */
  secretFetches(): number;
  /** The stand-in X-Ray daemon, `127.0.0.1:<port>`. */
  readonly xrayDaemonAddress: string;
  /** Segment documents the stand-in daemon received so far. */
  segmentsReceived(): number;
  /** The last few of them, as received, oldest first. */
  lastSegments(): string[];
  /** Empties both queues, so that a long run does not pile megabytes of messages up in memory. */
  purge(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs, the Secrets Manager stand-in and the X-Ray daemon stand-in on random loopback ports.
 *
 * @param secrets - secret value per secret ARN; the stand-in answers `{"current": value}`
 */
export async function startLambdaAws(secrets: ReadonlyMap<string, string>): Promise<LambdaAws> {
  const xrayDaemon = await startXrayDaemon();
  const secretsManager = await startSecretsManager(new Map([...secrets].map(([arn, value]) => [arn, JSON.stringify({ current: value })])));
  const embedded = await startEmbeddedSqs();
  const stopAll = async () => {
    await embedded.stop();
    await secretsManager.close();
    await xrayDaemon.stop();
  };
  try {
    const { sqs, queues, fauxqs } = embedded;
    const spare = await sqs.send(
      new CreateQueueCommand({ QueueName: 'spare.fifo', Attributes: mainQueueAttributes(localQueueTopology, queues.deadLetterQueueArn) }),
    );
    if (!spare.QueueUrl) throw new Error('fakes: no URL for the spare queue');
    const spareQueueUrl = queueUrlAt(spare.QueueUrl, fauxqs.address);
    return {
      sqsEndpoint: fauxqs.address,
      secretsManagerEndpoint: secretsManager.endpoint,
      queueUrl: queues.queueUrl,
      spareQueueUrl,
      secretFetches: () => secretsManager.calls,
      xrayDaemonAddress: xrayDaemon.address,
      segmentsReceived: xrayDaemon.received,
      lastSegments: xrayDaemon.last,
      async purge() {
        for (const QueueUrl of [queues.queueUrl, spareQueueUrl]) await sqs.send(new PurgeQueueCommand({ QueueUrl }));
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A fresh X-Ray trace header, as Lambda puts one in `_X_AMZN_TRACE_ID` for each invocation of a function with
 * active tracing: a new trace (`1-<epoch seconds, 8 hex>-<24 hex>`), the invocation's facade segment as parent, sampled.
 */
export function lambdaTraceHeader(now = Date.now()): string {
  const epoch = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
}

/** What Lambda adds to the environment of a function with active X-Ray tracing on `nodejs24.x` (`_X_AMZN_TRACE_ID` comes per invocation). */
export interface LambdaTracing {
  /** The stand-in daemon: {@link LambdaAws.xrayDaemonAddress}. */
  readonly daemonAddress: string;
  /**
   * `LAMBDA_TASK_ROOT`: in Lambda `/var/task`, the folder the function's code is unpacked in; here the bundle's
   * folder. The X-Ray SDK and Powertools only test that it is set (the SDK then runs in its Lambda mode).
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
    // The handler setting of every function the stack defines; Powertools Tracer names the handler subsegment after it.
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: tracing.daemonAddress,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  };
}

/**
 * The environment a bundle runs with, as the CDK stack sets it (`GatewayFunction`, `WebhookReceiverFunction`)
 * plus what Lambda itself provides (region, credentials), pointed at the local AWS. With `tracing`, also what
 * Lambda sets for active tracing, which the stack enables on every function.
 */
export function functionEnvironment(options: {
  readonly aws?: Pick<LambdaAws, 'sqsEndpoint' | 'secretsManagerEndpoint'>;
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
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: 'local',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // Lambda's on a cold start without provisioned concurrency or SnapStart; Powertools reads it at import.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    // Lambda hands every function its role's credentials in the environment.
    AWS_ACCESS_KEY_ID: 'ASIALOCALLOCALLOCAL0',
    AWS_SECRET_ACCESS_KEY: 'local-secret-access-key-not-a-credential',
    AWS_SESSION_TOKEN: 'local-session-token',
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
