import { Annotations, Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { ReceiverEnvironment } from '../../lib/receiver/environment.js';
import type { VerificationMode } from '../../lib/receiver/verification-mode.js';
import type { LogLevel } from '../config.js';
import { GatewayFunction } from './GatewayFunction.js';

/**
 * Five seconds. The provider's deadline is 2 s (Qikchat), and the handler keeps it by itself: its Secrets Manager
 * and SQS clients have connect and request timeouts and one retry each, so even the worst cold call (secret
 * fetch and enqueue both timing out) ends in the handler's own 503 after about 4 s, and a healthy one in tens of
 * milliseconds. The function timeout is only a backstop above that worst case, so the handler, never a Lambda
 * timeout, decides the answer and logs why; and a call slowed past 2 s still completes its enqueue (the
 * provider's retry is then deduplicated by SQS). Far below API Gateway's 30 s, a hang cannot hold connections
 * and concurrency for long.
 */
const receiverTimeout = Duration.seconds(5);

/**
 * 512 MB: a warm delivery is mostly waiting for SQS, so memory buys little there, while a cold start is CPU work
 * (CPU comes in proportion to memory). Measured: the CPU part of a cold answer is about 0.3–0.4 s at 512 MB
 * (0.15–0.2 s at 1024 MB, 0.6–0.8 s at 256 MB), well inside the providers' 2 s with the secret fetch and TLS, and
 * 512 MB costs $0.10 less per million deliveries than 1024 MB (BENCHMARKS.md, "Cost per million deliveries").
 */
const receiverMemorySize = 512;

export interface WebhookReceiverFunctionProps {
  /** The provider this receiver serves. */
  readonly provider: Pick<ProviderDefinition, 'slug' | 'displayName'>;
  /** The FIFO queue it enqueues to; it may only send to it. */
  readonly queue: IQueue;
  /** The provider's secret; the only secret it may read. */
  readonly secret: ISecret;
  /** The entry point, relative to the repository root. @default `functions/<slug>.ts` */
  readonly entry?: string;
  /** How long the secret is cached (`SECRETS_MAX_AGE_SECONDS`). */
  readonly secretsMaxAgeSeconds: number;
  /**
   * DANGEROUS when `disabled`: the receiver then accepts unsigned deliveries from anyone.
   * @default 'enforced'
   */
  readonly signatureVerification?: VerificationMode;
  /** @default {@link receiverTimeout} */
  readonly timeout?: Duration;
  /** @default {@link receiverMemorySize} */
  readonly memorySize?: number;
  /** `POWERTOOLS_LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** Retention of the receiver's log group. */
  readonly logRetention: RetentionDays;
  /** Encrypts the receiver's log group. */
  readonly logEncryptionKey: IKey;
  /** See {@link GatewayFunctionProps.bundleAwsSdk}. @default true */
  readonly bundleAwsSdk?: boolean;
  /**
   * Concurrency reserved for the receiver, so other functions of the account cannot starve it; also its cap.
   * @default - none
   */
  readonly reservedConcurrency?: number;
  /** Bundle Powertools Tracer into the receiver (`SendMessage` and Secrets Manager subsegments). @default false */
  readonly detailedTracing?: boolean;
}

/**
 * The receiver of one provider: verifies a delivery, normalises it, enqueues it and answers. It may send to
 * the queue and read its own provider's secret, nothing else. The secret's value never enters the
 * environment: only its ARN does, and the function reads and caches the value at run time.
 */
export class WebhookReceiverFunction extends Construct {
  /** The provider it serves; its slug is the `provider` dimension of the receiver's metrics. */
  readonly provider: Pick<ProviderDefinition, 'slug' | 'displayName'>;
  /** The function, for the API integration. */
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: WebhookReceiverFunctionProps) {
    super(scope, id);
    const { provider } = props;
    this.provider = { slug: provider.slug, displayName: provider.displayName };
    const signatureVerification = props.signatureVerification ?? 'enforced';

    const gatewayFunction = new GatewayFunction(this, 'Receiver', {
      entry: props.entry ?? `functions/${provider.slug}.ts`,
      description: `Receives ${provider.displayName} webhooks: verify, normalise, enqueue.`,
      timeout: props.timeout ?? receiverTimeout,
      memorySize: props.memorySize ?? receiverMemorySize,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logEncryptionKey: props.logEncryptionKey,
      bundleAwsSdk: props.bundleAwsSdk,
      reservedConcurrentExecutions: props.reservedConcurrency,
      detailedTracing: props.detailedTracing,
      environment: {
        [ReceiverEnvironment.queueUrl]: props.queue.queueUrl,
        [ReceiverEnvironment.providerSecretArn]: props.secret.secretArn,
        [ReceiverEnvironment.secretsMaxAgeSeconds]: String(props.secretsMaxAgeSeconds),
        [ReceiverEnvironment.signatureVerification]: signatureVerification,
      },
    });
    this.function = gatewayFunction.function;

    props.queue.grantSendMessages(this.function);
    props.secret.grantRead(this.function);

    if (signatureVerification === 'disabled') {
      Annotations.of(this).addWarningV2(
        'chat-webhook-gateway:signatureVerificationDisabled',
        `Signature verification is DISABLED for ${provider.displayName}: anyone who knows the URL can inject events. ` +
          'Remove the provider from the context key signatureVerificationDisabled before production use.',
      );
    }
  }
}
