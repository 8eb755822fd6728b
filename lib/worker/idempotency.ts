import { hash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyPersistenceLayerError,
  IdempotencyRecordStatus,
  makeIdempotent,
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { GatewayError } from '../events/errors.js';
import type { WebhookEvent } from '../events/schema.js';
import { idempotencyTable, SECONDS_PER_DAY } from './idempotency-table.js';

/** The worker's variable naming its idempotency table (the stack sets it). */
export const IDEMPOTENCY_TABLE_VARIABLE = 'IDEMPOTENCY_TABLE_NAME';
/** The worker's variable: seconds a completed record short-circuits its event (`idempotencyDays` in the stack). */
export const IDEMPOTENCY_EXPIRY_VARIABLE = 'IDEMPOTENCY_EXPIRY_SECONDS';

/** Where the records are and how long they hold. */
export interface EventIdempotencyOptions {
  readonly tableName: string;
  /** How long a completed record short-circuits its event. */
  readonly expiresAfterSeconds: number;
  /** A local DynamoDB-compatible endpoint (dynalite); the AWS endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/**
 * What became of one event: its handler ran now; or a completed record said it had already run, for the same content
 * (`duplicate`) or for other content under the same id (`conflict`).
 */
export interface IdempotentRun {
  readonly outcome: 'processed' | 'duplicate' | 'conflict';
  /** The content digest of this copy ({@link contentDigest}). */
  readonly digest: string;
  /** The content digest of the copy that was handled, when a record says (records before digests were kept do not). */
  readonly handledDigest?: string | undefined;
  /** The handler ran but its record could not be marked completed: a later copy of the event would run again. */
  readonly recordError?: unknown;
}

/**
 * The digest of an event's content (`data`, the provider's body included): two copies with one id and different
 * digests are a conflict, not a duplicate. The first 32 hex digits of the SHA-256 of its JSON.
 */
export function contentDigest(event: WebhookEvent): string {
  return hash('sha256', JSON.stringify(event.data), 'hex').slice(0, 32);
}

/** Another run of the event holds its record (a copy in flight): not the event's failure; try again later. */
export class EventInProgressError extends GatewayError<'in_progress'> {
  override readonly name: string = 'EventInProgressError';

  constructor(options?: ErrorOptions) {
    super('in_progress', 'Another run of this event is in progress', options);
  }
}

/**
 * A copy of the event with the same id in another message group (so other content, in another conversation) completed
 * while this one ran: both handlers ran. The record keeps the first; this is reported, not lost silently.
 */
export class CopyCompletedMeanwhileError extends GatewayError<'copy_completed_meanwhile'> {
  override readonly name: string = 'CopyCompletedMeanwhileError';

  constructor(
    /** The content digest of the copy that completed first, when its record says. */
    readonly handledDigest: string | undefined,
    options?: ErrorOptions,
  ) {
    super('copy_completed_meanwhile', 'Another copy of this event id, in another message group, completed while this one ran: both ran', options);
  }
}

/** The idempotency store could not be read or written before the handler: not the event's failure either. */
export class IdempotencyStoreError extends GatewayError<'idempotency_store_failed'> {
  override readonly name: string = 'IdempotencyStoreError';

  constructor(options?: ErrorOptions) {
    super('idempotency_store_failed', 'The idempotency store failed before the handler ran', options);
  }
}

/** Runs each event's handling at most once per event id within the expiry window. */
export interface EventIdempotency {
  /**
   * Runs `handle` unless a completed record for `event.id` exists. Throws `handle`'s error (no record is left);
   * {@link EventInProgressError} when another attempt is in progress; {@link IdempotencyStoreError} when the record
   * store cannot be reached before `handle`: it never runs unguarded.
   *
   * @param context - the invocation's context (Powertools reads its remaining time)
   * @param target - whose run this is: absent for the code handler; a destination's own key (`destination.<name>`),
   *   so each target runs once per event and a failing one does not run the others again
   */
  run(event: WebhookEvent, context: Context, handle: () => Promise<void>, target?: string): Promise<IdempotentRun>;
  /**
   * Starts reading these events' records now, beside the batch's other reads (the archive, the park table), and
   * forgets reads taken ahead for an earlier batch. Each run of an event and target takes its read once, instead of
   * reading when it starts; a failed read is read again then.
   */
  readAhead(runs: readonly { readonly event: WebhookEvent; readonly target?: string | undefined }[]): void;
  /**
   * Whether the records read ahead say that every one of `targets` completed the event: its runs will not run, so
   * what only they need (its attachment's file) need not be fetched. False when a record was not read ahead.
   */
  handledAhead(event: WebhookEvent, targets: readonly (string | undefined)[]): Promise<boolean>;
}

/** What a completed record keeps of the run. */
interface HandledRecord {
  readonly digest: string;
}

/** A worker variable is missing or unusable: the worker does not start rather than run handlers unguarded. */
class WorkerSettingError extends GatewayError<'worker_setting'> {
  override readonly name: string = 'WorkerSettingError';

  constructor(message: string) {
    super('worker_setting', message);
  }
}

/**
 * The record store's timeouts: a hung store fails the event within the worker's budget (two calls an event, each at
 * most 2 × 3 s), then it is retried. 3 s per request: a slow store still answers, a dead one fails.
 */
const STORE_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000, maxAttempts: 2 } as const;
/**
 * Records are keyed `event#<sha256 of the event id>`, the same whatever the function is named; a destination's
 * `event.<target>#<sha256 of the event id>`.
 */
const KEY_PREFIX = 'event';

/** The record's attributes: Powertools' own names, so records written before this layer read the same. */
const ATTRIBUTES = {
  key: idempotencyTable.partitionKey,
  expiry: idempotencyTable.timeToLiveAttribute,
  status: PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS.statusAttr,
  data: PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS.dataAttr,
} as const;

/**
 * Powertools' DynamoDB layer with one write per event instead of two: before the handler, a consistent read
 * (a completed record short-circuits the event) instead of an in-progress record; after it, the completed record.
 *
 * The in-progress record kept two runs of one event from overlapping. The queue already does: a copy of an event
 * goes to the event's message group (its conversation, or the event itself), a FIFO group is never handed to two
 * invocations at once, and a message comes back only after its visibility timeout, six times the worker's. What the
 * read cannot see — a copy with the same id in another group, which only other content can be, completing meanwhile
 * — the completed record's condition catches: it keeps the first and says {@link CopyCompletedMeanwhileError}.
 * An in-progress record an earlier version wrote still holds its event back until it expires.
 */
class CompletedRecordLayer extends DynamoDBPersistenceLayer {
  constructor(
    private readonly table: string,
    private readonly store: DynamoDBClient,
  ) {
    super({ tableName: table, keyAttr: ATTRIBUTES.key, expiryAttr: ATTRIBUTES.expiry, statusAttr: ATTRIBUTES.status, dataAttr: ATTRIBUTES.data, awsSdkV3Client: store });
  }

  /** Reads taken ahead of their runs, by idempotency key. */
  readonly #ahead = new Map<string, Promise<IdempotencyRecord | undefined>>();

  /** Starts reading the record of `event` now; the first run of it takes this read. */
  readAhead(event: WebhookEvent): void {
    const key = this.getHashedIdempotencyKey({ id: event.id });
    if (this.#ahead.has(key)) return;
    const read = this.#read(key);
    // Not awaited here: a failure is the run's to see (it reads again).
    read.catch(() => undefined);
    this.#ahead.set(key, read);
  }

  /** Whether the record read ahead for `event` says it completed (it is not taken: its run still takes it). */
  async completedAhead(event: WebhookEvent): Promise<boolean> {
    const read = this.#ahead.get(this.getHashedIdempotencyKey({ id: event.id }));
    const existing = read === undefined ? undefined : await read.catch(() => undefined);
    return existing !== undefined && existing.getStatus() === IdempotencyRecordStatus.COMPLETED;
  }

  /** Forgets the reads taken ahead for an earlier batch: a read is good for the batch it was taken for only. */
  forgetReadsAhead(): void {
    this.#ahead.clear();
  }

  async #read(key: string): Promise<IdempotencyRecord | undefined> {
    try {
      return await this._getRecord(key);
    } catch (error) {
      if (error instanceof IdempotencyItemNotFoundError) return undefined;
      throw error;
    }
  }

  /** Reads instead of writing: throws the record that short-circuits (or holds back) the event, if there is one. */
  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    const ahead = this.#ahead.get(record.idempotencyKey);
    this.#ahead.delete(record.idempotencyKey);
    let existing: IdempotencyRecord | undefined;
    try {
      existing = await (ahead ?? this.#read(record.idempotencyKey));
    } catch (error) {
      if (!ahead) throw error;
      // The read taken ahead failed: this one decides.
      existing = await this.#read(record.idempotencyKey);
    }
    if (existing === undefined || existing.isExpired()) return;
    const inProgressUntil = existing.inProgressExpiryTimestamp;
    const holds =
      existing.getStatus() === IdempotencyRecordStatus.COMPLETED ||
      (existing.getStatus() === IdempotencyRecordStatus.INPROGRESS && (inProgressUntil === undefined || inProgressUntil > Date.now()));
    if (holds) throw new IdempotencyItemAlreadyExistsError(`A record exists for idempotency key ${record.idempotencyKey}`, existing);
  }

  /** Nothing was written before the handler, so a failed run leaves nothing to delete. */
  protected override _deleteRecord(): Promise<void> {
    return Promise.resolve();
  }

  /** The completed record, unless a copy completed meanwhile (an in-progress record of an earlier version gives way). */
  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const data = record.responseData as Partial<HandledRecord> | undefined;
    try {
      await this.store.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { [ATTRIBUTES.key]: { S: record.idempotencyKey } },
          UpdateExpression: 'SET #expiry = :expiry, #status = :completed, #data = :data',
          ConditionExpression: 'attribute_not_exists(#key) OR #expiry < :now OR #status <> :completed',
          ExpressionAttributeNames: { '#key': ATTRIBUTES.key, '#expiry': ATTRIBUTES.expiry, '#status': ATTRIBUTES.status, '#data': ATTRIBUTES.data },
          ExpressionAttributeValues: {
            ':expiry': { N: String(record.expiryTimestamp ?? 0) },
            ':completed': { S: IdempotencyRecordStatus.COMPLETED },
            ':now': { N: String(Date.now() / 1000) },
            ':data': { M: data?.digest === undefined ? {} : { digest: { S: data.digest } } },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new CopyCompletedMeanwhileError(error.Item?.[ATTRIBUTES.data]?.M?.digest?.S, { cause: error });
    }
  }
}

/**
 * Reads the worker's idempotency settings from its environment.
 *
 * @throws WorkerSettingError when the table variable is missing or the expiry is not a positive number of seconds
 */
export function idempotencySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EventIdempotencyOptions {
  const tableName = env[IDEMPOTENCY_TABLE_VARIABLE];
  if (!tableName) throw new WorkerSettingError(`${IDEMPOTENCY_TABLE_VARIABLE} is not set: the worker needs its idempotency table`);
  const expiry = env[IDEMPOTENCY_EXPIRY_VARIABLE];
  const expiresAfterSeconds = expiry === undefined || expiry === '' ? idempotencyTable.defaultExpiryDays * SECONDS_PER_DAY : Number(expiry);
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 1) {
    throw new WorkerSettingError(`${IDEMPOTENCY_EXPIRY_VARIABLE} must be a whole number of seconds, not "${String(expiry)}"`);
  }
  return { tableName, expiresAfterSeconds };
}

/**
 * Powertools Idempotency over DynamoDB, keyed by the event id: a completed record short-circuits the event until
 * it expires. One consistent read before the handler and one write after it ({@link CompletedRecordLayer}): a
 * crashed attempt leaves no record, so its retry runs.
 *
 * @example
 * const idempotency = createEventIdempotency(idempotencySettingsFromEnv());
 * const { outcome } = await idempotency.run(event, context, () => handler(event));
 */
export function createEventIdempotency(options: EventIdempotencyOptions): EventIdempotency {
  const client = new DynamoDBClient({
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: STORE_TIMEOUTS.maxAttempts,
    requestHandler: { connectionTimeout: STORE_TIMEOUTS.connectionTimeout, requestTimeout: STORE_TIMEOUTS.requestTimeout, throwOnRequestTimeout: true },
  });
  // One layer per key prefix: a layer keeps the prefix of its last run, so runs of two targets side by side on one
  // layer would write each other's keys.
  const layers = new Map<string, CompletedRecordLayer>();
  const settings = { eventKeyJmesPath: 'id', throwOnNoIdempotencyKey: true, expiresAfterSeconds: options.expiresAfterSeconds, hashFunction: 'sha256' } as const;
  const keyPrefixOf = (target: string | undefined) => (target === undefined ? KEY_PREFIX : `${KEY_PREFIX}.${target}`);
  const persistenceStoreFor = (keyPrefix: string) => {
    let layer = layers.get(keyPrefix);
    if (!layer) {
      layer = new CompletedRecordLayer(options.tableName, client);
      // Configured now, so that it can name a record's key before its first run (a read ahead).
      layer.configure({ config: new IdempotencyConfig(settings), keyPrefix });
      layers.set(keyPrefix, layer);
    }
    return layer;
  };

  return {
    readAhead(runs) {
      for (const layer of layers.values()) layer.forgetReadsAhead();
      for (const { event, target } of runs) persistenceStoreFor(keyPrefixOf(target)).readAhead(event);
    },
    async handledAhead(event, targets) {
      const completed = await Promise.all(targets.map((target) => persistenceStoreFor(keyPrefixOf(target)).completedAhead(event)));
      return completed.length > 0 && completed.every(Boolean);
    },
    async run(event, context, handle, target) {
      // A config per invocation: Powertools reads its Lambda context, and the local runtime runs invocations
      // concurrently.
      const config = new IdempotencyConfig({ ...settings, lambdaContext: context });
      const progress = { ran: false, handled: false };
      const digest = contentDigest(event);
      const keyPrefix = keyPrefixOf(target);
      const guarded = makeIdempotent(
        // What it returns is kept in the completed record: the digest of the copy that was handled.
        async (_event: WebhookEvent, body: () => Promise<void>): Promise<HandledRecord> => {
          progress.ran = true;
          await body();
          progress.handled = true;
          return { digest };
        },
        { persistenceStore: persistenceStoreFor(keyPrefix), config, keyPrefix, dataIndexArgument: 0 },
      );
      let handled: unknown;
      try {
        handled = await guarded(event, handle);
      } catch (error) {
        // The handler's work is done: failing the event now would only run it a second time.
        if (progress.handled && error instanceof IdempotencyPersistenceLayerError) {
          const meanwhile = error.cause instanceof CopyCompletedMeanwhileError ? error.cause : undefined;
          return { outcome: 'processed', digest, handledDigest: meanwhile?.handledDigest, recordError: meanwhile ?? error };
        }
        if (error instanceof IdempotencyAlreadyInProgressError) throw new EventInProgressError({ cause: error });
        if (!progress.ran && error instanceof IdempotencyPersistenceLayerError) throw new IdempotencyStoreError({ cause: error });
        throw error;
      }
      if (progress.ran) return { outcome: 'processed', digest };
      const handledDigest = (handled as Partial<HandledRecord> | null | undefined)?.digest;
      return { outcome: handledDigest !== undefined && handledDigest !== digest ? 'conflict' : 'duplicate', digest, handledDigest };
    },
  };
}
