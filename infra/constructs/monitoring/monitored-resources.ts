import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { MonitoredReceiver } from './receiver-alarms.js';

/** What the gateway's monitoring watches: its alarms and its dashboard are about these. */
export interface MonitoredResources {
  /** The API stage the providers call: its 5xx count and latency are what they experience. */
  readonly apiStage: IHttpStage;
  /** One receiver per provider. */
  readonly receivers: readonly MonitoredReceiver[];
  /** The worker that consumes {@link MonitoredResources.queue}. */
  readonly worker: IFunction;
  /** The worker's idempotency records. */
  readonly idempotencyTable: ITable;
  /** The worker's park table (parked conversations and their events). */
  readonly parkTable: ITable;
  /** The main FIFO queue. */
  readonly queue: IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: IQueue;
}
