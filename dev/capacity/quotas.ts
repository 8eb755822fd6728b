/**
 * The AWS quotas the capacity planner checks, each with the page it was read from and when. Default values for
 * us-east-1 (the region of the cost model's prices); where other regions differ the note says so. Read on
 * 2026-12-07 through the stored copies of AWS's documentation; `stored: false` marks a figure whose AWS page was
 * not stored, with the source that was read instead.
 */

/** Where a quota's figure comes from. */
export interface QuotaSource {
  /** AWS's page. */
  readonly url: string;
  /** The date the figure was read there (or in its stored copy). */
  readonly read: string;
  /** What the page says, in a few words, and anything about how it was read. */
  readonly says: string;
}

const READ = '2026-12-07';

/** Bytes in a MiB, the unit of Firehose's throughput quota. */
export const MIB = 1_048_576;

/** The quotas, by what they limit. */
export const AWS_QUOTAS = {
  /** API Gateway: requests per second across every API of the account in the region; the burst bucket on top. */
  apiGatewayAccountRps: {
    value: 10_000,
    burst: 5_000,
    source: {
      url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
      read: READ,
      says:
        'Throttle quota per account, per Region across HTTP, REST and WebSocket APIs: 10,000 requests per second, burst bucket of 5,000 requests; ' +
        'can be increased (Service Quotas L-8A5B8E43). 2,500 / 1,250 in newer regions (Cape Town, Milan, Jakarta, Zurich, ...).',
    },
  },
  /** Lambda: concurrent executions of every function of the account in the region. */
  lambdaConcurrentExecutions: {
    value: 1_000,
    source: {
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      read: READ,
      says: 'Concurrent executions: 1,000 by default, can be increased to tens of thousands; new accounts start lower.',
    },
  },
  /** Lambda: synchronous invocations per second of one function, per execution environment its concurrency allows. */
  lambdaSyncRpsPerEnvironment: {
    value: 10,
    source: {
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      read: READ,
      says:
        'Invocation requests per function per Region (synchronous): each instance of the execution environment can serve up to 10 requests per second, ' +
        'so 10 x the concurrency the function may use. The AWS page itself was found but its text not shown by the stored copy; read through a verbatim ' +
        'transcription of that page (api-evangelist/aws-lambda rate-limits, "grounding: every limit_text was found verbatim").',
    },
  },
  /** Lambda: how fast one function may add execution environments. */
  lambdaScalingRate: {
    value: 1_000,
    perSeconds: 10,
    source: {
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
      read: READ,
      says:
        'For each function, 1,000 execution environment instances every 10 seconds (or 10,000 requests per second every 10 seconds), refilled continuously; ' +
        'requests beyond it are throttled (429).',
    },
  },
  /** Lambda's SQS event source with a FIFO queue: batch size and how far it scales. */
  lambdaSqsFifo: {
    maxBatchSize: 10,
    source: {
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
      read: READ,
      says:
        'For FIFO queues, concurrent invocations are capped at the number of message group IDs or the maximum concurrency setting, whichever is lower; ' +
        'a batch may hold messages of several groups. BatchSize for FIFO queues: at most 10 (services-sqs-parameters.html); no batching window for FIFO.',
    },
  },
  /** SQS FIFO, high-throughput mode (the stack's queue): transactions per second per API action. */
  sqsFifoHighThroughputTps: {
    value: 70_000,
    withoutHighThroughput: 300,
    source: {
      url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
      read: READ,
      says:
        'High throughput mode, non-batched calls: up to 70,000 TPS per API action in us-east-1, us-west-2 and eu-west-1; 19,000 in us-east-2 and eu-central-1; ' +
        'lower elsewhere. Without high throughput: 300 TPS per API action (3,000 messages/s with batches of 10). Read in a stored mirror of the page (mdsite.deno.dev).',
    },
  },
  /** Firehose Direct PUT, per stream: PutRecord and PutRecordBatch together. */
  firehoseDirectPut: {
    recordsPerSecond: 500_000,
    requestsPerSecond: 2_000,
    mibPerSecond: 5,
    source: {
      url: 'https://docs.aws.amazon.com/firehose/latest/dev/limits.html',
      read: READ,
      says:
        'Direct PUT, per stream, PutRecord and PutRecordBatch combined: 500,000 records/s, 2,000 requests/s and 5 MiB/s in us-east-1, us-west-2 and eu-west-1; ' +
        '1,000 requests/s and 1 MiB/s in the other listed regions. The three scale together on a quota increase (Firehose Limits form).',
    },
  },
  /** S3: object writes per second per partitioned prefix (the archive's PutObject per batch). */
  s3PutPerPrefix: {
    value: 3_500,
    source: {
      url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html',
      read: READ,
      says:
        'At least 3,500 PUT/COPY/POST/DELETE requests per second per partitioned prefix; S3 partitions further by itself over 30-60 minutes. ' +
        'The AWS page was not stored; read in the AWS Knowledge Center thread on S3 key naming (aws.amazon.com/premiumsupport/knowledge-center/s3-object-key-naming-pattern).',
    },
  },
  /** DynamoDB on-demand: request units per second per table, per partition, and a new table's first peak. */
  dynamoDbOnDemand: {
    tableRequestUnits: 40_000,
    partitionWriteUnits: 1_000,
    partitionReadUnits: 3_000,
    newTableWriteUnits: 4_000,
    source: {
      url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
      read: READ,
      says:
        'On-demand, per table: 40,000 read and 40,000 write request units per second (can be increased). Per partition 3,000 read or 1,000 write units; ' +
        'a new on-demand table serves up to 4,000 write units at once and throttles past twice its previous peak within 30 minutes ' +
        '(Knowledge Center, on-demand-table-throttling-dynamodb).',
    },
  },
  /** Secrets Manager: GetSecretValue calls per second. */
  secretsManagerGetSecretValue: {
    value: 10_000,
    source: {
      url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html',
      read: READ,
      says: 'GetSecretValue: 10,000 requests per second per region (What\'s New, 2025-03-04: "GetSecretValue now supports up to 10,000 requests per second").',
    },
  },
  /** CloudWatch Logs: PutLogEvents. */
  cloudWatchLogsPutLogEvents: {
    source: {
      url: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html',
      read: READ,
      says:
        'The former quota of 5 requests per second per log stream has been removed; a batch is at most 1 MiB and 10,000 events. Lambda and API Gateway ' +
        'deliver the functions\' and the access logs themselves: no function of the gateway calls PutLogEvents. The account-level PutLogEvents quota page ' +
        '(general/latest/gr/cwl_region.html) was stored without its quota table.',
    },
  },
} as const;
