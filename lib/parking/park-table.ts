/**
 * The park store's table, defined once: the CDK stack and the local runtime build it from this, and the worker,
 * `npm run resume` and the console read and write its items with these names.
 *
 * Items (partition key `pk`, sort key `sk`):
 * - `conversation#<message group>` / `state`: a parked (or resuming) conversation: why, since when, what next;
 * - `conversation#<message group>` / `event#<sequence>`: one parked event, in queue order (the sort key);
 * - `attempts#<event id>` / `count`: how many times the event's handler failed, kept while it is retried.
 */

export interface ParkTableDefinition {
  /** The table's name locally; in AWS CloudFormation names it. */
  readonly localName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Epoch seconds after which DynamoDB deletes an attempt counter (parked items never expire). */
  readonly timeToLiveAttribute: string;
}

export const parkTable: ParkTableDefinition = {
  localName: 'chat-webhook-parked',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiration',
};

/** The worker's variable naming the park table (the stack sets it). */
export const PARK_TABLE_VARIABLE = 'PARK_TABLE_NAME';
