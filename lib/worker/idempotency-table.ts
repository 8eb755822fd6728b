/**
 * The idempotency table, defined once: the CDK stack and the local runtime both build their table from this,
 * and the worker reads and writes its records with these attribute names.
 */

/** The table of the worker's idempotency records (one per event id). */
export interface IdempotencyTableDefinition {
  /** The table's name locally; in AWS CloudFormation names it. */
  readonly localName: string;
  /** The partition key (a string): Powertools' idempotency key, `event#<hash of the event id>`. */
  readonly partitionKey: string;
  /** The TTL attribute: epoch seconds after which DynamoDB deletes the record (Powertools checks it too). */
  readonly timeToLiveAttribute: string;
  /** How long a completed record short-circuits its event, unless `idempotencyDays` says otherwise. */
  readonly defaultExpiryDays: number;
}

export const idempotencyTable: IdempotencyTableDefinition = {
  localName: 'chat-webhook-idempotency',
  // Powertools' default attribute names, stated so that the table and the worker cannot drift apart.
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
  // Longer than every provider's retries (Chatzuri 24 h, WhatsApp behind Qikchat for days).
  defaultExpiryDays: 7,
};

/** Seconds in a day, for `idempotencyDays`. */
export const SECONDS_PER_DAY = 86_400;
