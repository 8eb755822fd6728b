import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Time budget of one enqueue. Providers wait at most 2 s for an answer (Qikchat), and the answer must
 * say whether the event is durably queued, so a slow queue has to fail fast into a 503: the provider
 * retries later and SQS deduplicates a retry of an event that did get through.
 */
export const ENQUEUE_BUDGET = {
  /** TCP connect; an SQS endpoint connects in milliseconds, a dead one never. */
  connectionTimeoutMs: 300,
  /**
   * One request. Most of the budget: SQS stores a message before it answers, so giving up on a slow answer
   * turns a stored event into a 503 (BENCHMARKS.md, "Enqueue attempts"); the rest is for a retry of a lost one.
   */
  requestTimeoutMs: 1_000,
  /** One retry for a transient error (a refused or reset connection, a 5xx, a lost answer), within the deadline. */
  maxAttempts: 2,
  /** Hard ceiling for the whole enqueue, retries included. */
  deadlineMs: 1_500,
  /**
   * Everything a receiver does before it answers, from the moment it got the request: the secret fetch
   * (first request of a cold start only) and the enqueue share it. The remaining ~0.4 s of the providers'
   * 2 s is for API Gateway, the network and Lambda itself.
   */
  answerBudgetMs: 1_600,
  /** What a secret fetch leaves of the answer budget for the enqueue after it: 15 SQS round trips. */
  enqueueReserveMs: 300,
} as const;

/**
 * An abort signal for what is left of a budget. AbortSignal.timeout throws on a fractional or negative delay,
 * and a budget left over from performance.now() is one: rounded down, at least 1 ms.
 */
export function budgetSignal(remainingMs: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.floor(remainingMs)));
}

export interface SqsClientOptions {
  /** A local or alternative SQS endpoint (fauxqs); the AWS endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Per-request timeout; the enqueue budget's by default. Long polling needs longer than one poll. */
  readonly requestTimeoutMs?: number;
}

/** An SQS client with the explicit timeouts and bounded retries the 2-second answer needs. */
export function createSqsClient(options: SqsClientOptions = {}): SQSClient {
  const client = new SQSClient({
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // A local emulator accepts any credentials; never look for real ones when pointed at it.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: ENQUEUE_BUDGET.maxAttempts,
    // The MD5 comparison with SQS's answer repeats in JavaScript what TLS and SigV4 guarantee (cost: BENCHMARKS.md).
    md5: false,
    requestHandler: {
      connectionTimeout: ENQUEUE_BUDGET.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? ENQUEUE_BUDGET.requestTimeoutMs,
      // Without this the SDK only logs a warning when an attempt outlives requestTimeout, and waits on: a
      // hung attempt would use the whole deadline and never get its retry.
      throwOnRequestTimeout: true,
    },
  });
  // With no logger configured, this middleware only filters every request and response for a no-op logger.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
