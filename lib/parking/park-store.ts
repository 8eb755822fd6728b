import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { GatewayError } from '../events/errors.js';
import { parkTable, type ParkTableDefinition } from './park-table.js';
import type { ParkedConversation, ParkedEvent } from './types.js';

export type { ParkedConversation, ParkedEvent } from './types.js';

const compress = promisify(gzip);
const decompress = promisify(gunzip);

/** The park store did not answer or refused: the message is not parked and must stay in the queue. */
export class ParkStoreError extends GatewayError<'park_store_failed'> {
  override readonly name: string = 'ParkStoreError';

  constructor(message: string, options?: ErrorOptions) {
    super('park_store_failed', message, options);
  }
}

/** A resume or skip that does not fit the conversation's state (not parked, already resuming, another failing event). */
export class ResumeRefusedError extends GatewayError<'resume_refused'> {
  override readonly name: string = 'ResumeRefusedError';

  constructor(message: string, options?: ErrorOptions) {
    super('resume_refused', message, options);
  }
}

export interface ParkStoreOptions {
  readonly tableName: string;
  /** A local DynamoDB-compatible endpoint (dynalite); the AWS endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly table?: ParkTableDefinition;
}

/** Where the parked conversations and their events are kept: read and written by the worker, `npm run resume` and the console. */
export interface ParkStore {
  /** The parked or resuming conversations among `conversations` (consistent reads). */
  find(conversations: readonly string[], signal?: AbortSignal): Promise<Map<string, ParkedConversation>>;
  /** Counts one more failed run of an event's handler; resolves with the failures so far. */
  countFailure(eventId: string, signal?: AbortSignal): Promise<number>;
  /** Parks a conversation at its failing event; an existing state is kept (a retry after a crash repeats nothing). */
  open(conversation: Omit<ParkedConversation, 'state' | 'resume'>, signal?: AbortSignal): Promise<void>;
  /** Adds one event to a parked conversation, at its sequence number (idempotent). */
  add(conversation: string, event: ParkedEvent, signal?: AbortSignal): Promise<void>;
  /** Every parked or resuming conversation, oldest first. */
  list(): Promise<ParkedConversation[]>;
  /** A conversation's parked events, in order. */
  events(conversation: string, signal?: AbortSignal): Promise<ParkedEvent[]>;
  remove(conversation: string, sequence: string, signal?: AbortSignal): Promise<void>;
  /**
   * Marks a parked conversation `resuming` with `token`; with `skip`, its failing event is dropped first. A conversation
   * already resuming is answered with its pending resume (token and skip) when `skip` does not contradict it.
   *
   * @throws ResumeRefusedError when it is not parked, resuming with another skip, or `skip` is not its failing event
   */
  requestResume(conversation: string, token: string, skip?: string): Promise<ParkedConversation>;
  /** Ends a resume that ran every parked event: the conversation is open again. */
  reopen(conversation: string, token: string, signal?: AbortSignal): Promise<void>;
  /** Ends a resume whose event failed again: parked again at that event. */
  repark(conversation: string, token: string, failing: { readonly eventId: string; readonly error: string; readonly attempts: number }, signal?: AbortSignal): Promise<void>;
  destroy(): void;
}

/** The store's timeouts: a stalled table fails the step within the worker's budget (BENCHMARKS.md: the worker's time budget). */
const PARK_STORE_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 2 } as const;

/** The first wait before asking again for keys a batch read left unprocessed, and the longest, in ms. */
const UNPROCESSED_BACKOFF = { firstMs: 25, maxMs: 400 } as const;

/**
 * How long to wait before the `retry`-th request (from 1) for keys DynamoDB left unprocessed (a throttled table):
 * doubling from {@link UNPROCESSED_BACKOFF}'s first wait up to its longest, as DynamoDB asks of batch reads, instead
 * of asking a throttled table again at once. The caller's signal bounds the whole read.
 *
 * @param retry - 1 for the first request after the one that left keys unprocessed
 */
export function unprocessedBackoffMs(retry: number): number {
  return Math.min(UNPROCESSED_BACKOFF.firstMs * 2 ** (retry - 1), UNPROCESSED_BACKOFF.maxMs);
}

/** DynamoDB's item limit is 400 KB; a parked body (gzip) above this is refused and stays in the queue. */
const MAXIMUM_BODY_BYTES = 380_000;
/** Attempt counters outlive the retries (minutes) and a slow resume (days). */
const COUNTER_SECONDS = 14 * 86_400;
const STATE = 'state';
const EVENT = 'event#';
const CONVERSATION = 'conversation#';
/** Sequence numbers are decimal strings of up to 20 digits (128-bit in SQS's documentation): padded, they sort. */
const SEQUENCE_WIDTH = 40;

const conversationKey = (conversation: string) => `${CONVERSATION}${conversation}`;
const eventKey = (sequence: string) => `${EVENT}${sequence.padStart(SEQUENCE_WIDTH, '0')}`;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * A conditional write whose condition fails only when its step was done already (a retry after a crash, or after a
 * lost answer): the state that is there stands, and the step is done.
 */
async function onceDone(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

type Item = Record<string, NativeAttributeValue>;

function toConversation(item: Item): ParkedConversation {
  const resume = item.resumeToken
    ? { token: String(item.resumeToken), skip: item.skip ? String(item.skip) : undefined, requestedAt: String(item.resumeRequestedAt ?? '') }
    : undefined;
  return {
    conversation: String(item.conversation),
    provider: String(item.provider),
    conversationId: typeof item.conversationId === 'string' ? item.conversationId : null,
    state: item.state === 'resuming' ? 'resuming' : 'parked',
    failingEventId: String(item.failingEventId),
    error: String(item.error ?? ''),
    attempts: Number(item.attempts ?? 0),
    parkedAt: String(item.parkedAt),
    ...(resume ? { resume } : {}),
  };
}

/**
 * The park store over DynamoDB (the table of {@link parkTable}).
 *
 * @example
 * const store = createParkStore({ tableName: process.env.PARK_TABLE_NAME });
 * const parked = await store.find(['qikchat:6281234']);
 */
export function createParkStore(options: ParkStoreOptions): ParkStore {
  const table = options.table ?? parkTable;
  const { tableName } = options;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      maxAttempts: PARK_STORE_TIMEOUTS.maxAttempts,
      requestHandler: {
        connectionTimeout: PARK_STORE_TIMEOUTS.connectionTimeoutMs,
        requestTimeout: PARK_STORE_TIMEOUTS.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const key = (pk: string, sk: string) => ({ [table.partitionKey]: pk, [table.sortKey]: sk });

  /** Runs one store call; a failure becomes a ParkStoreError saying what was being done. */
  async function call<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResumeRefusedError) throw error;
      throw new ParkStoreError(`The park store failed ${doing}`, { cause: error });
    }
  }

  return {
    find(conversations, signal) {
      return call('reading conversations', async () => {
        const found = new Map<string, ParkedConversation>();
        const unique = [...new Set(conversations)];
        // BatchGetItem takes 100 keys; a batch has at most 10 messages.
        for (let start = 0; start < unique.length; start += 100) {
          let keys: Item[] | undefined = unique.slice(start, start + 100).map((conversation) => key(conversationKey(conversation), STATE));
          for (let retry = 0; keys && keys.length > 0; retry++) {
            if (retry > 0) await sleep(unprocessedBackoffMs(retry), undefined, { signal });
            const result: BatchGetCommandOutput = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }), {
              abortSignal: signal,
            });
            for (const item of result.Responses?.[tableName] ?? []) {
              const conversation = toConversation(item);
              found.set(conversation.conversation, conversation);
            }
            keys = result.UnprocessedKeys?.[tableName]?.Keys;
          }
        }
        return found;
      });
    },

    countFailure(eventId, signal) {
      return call('counting a failure', async () => {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(`attempts#${eventId}`, 'count'),
            UpdateExpression: 'ADD failures :one SET #expiration = :expiration',
            ExpressionAttributeNames: { '#expiration': table.timeToLiveAttribute },
            ExpressionAttributeValues: { ':one': 1, ':expiration': Math.floor(Date.now() / 1000) + COUNTER_SECONDS },
            ReturnValues: 'UPDATED_NEW',
          }),
          { abortSignal: signal },
        );
        return Number(result.Attributes?.failures ?? 1);
      });
    },

    open(conversation, signal) {
      // Parked already: the state that is there stands.
      return call('parking a conversation', () =>
        onceDone(
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...key(conversationKey(conversation.conversation), STATE), ...conversation, state: 'parked' },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': table.partitionKey },
            }),
            { abortSignal: signal },
          ),
        ),
      );
    },

    add(conversation, event, signal) {
      return call('parking an event', async () => {
        const body = await compress(event.body);
        if (body.byteLength > MAXIMUM_BODY_BYTES) {
          throw new ParkStoreError(`Event ${event.eventId} is ${String(body.byteLength)} bytes compressed; a parked event holds at most ${String(MAXIMUM_BODY_BYTES)}`);
        }
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(conversationKey(conversation), eventKey(event.sequence)),
              eventId: event.eventId,
              messageId: event.messageId,
              sequence: event.sequence,
              parkedAt: event.parkedAt,
              body,
            },
          }),
          { abortSignal: signal },
        );
      });
    },

    list() {
      return call('listing conversations', async () => {
        const conversations: ParkedConversation[] = [];
        let start: Item | undefined;
        do {
          const page = await client.send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: '#sk = :state',
              ExpressionAttributeNames: { '#sk': table.sortKey },
              ExpressionAttributeValues: { ':state': STATE },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const item of page.Items ?? []) conversations.push(toConversation(item));
          start = page.LastEvaluatedKey;
        } while (start);
        return conversations.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
      });
    },

    events(conversation, signal) {
      return call('reading parked events', async () => {
        const events: ParkedEvent[] = [];
        let start: Item | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :event)',
              ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
              ExpressionAttributeValues: { ':pk': conversationKey(conversation), ':event': EVENT },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
            { abortSignal: signal },
          );
          for (const item of page.Items ?? []) {
            const body = item.body instanceof Uint8Array ? (await decompress(item.body)).toString('utf8') : '';
            events.push({ eventId: String(item.eventId), messageId: String(item.messageId), sequence: String(item.sequence), parkedAt: String(item.parkedAt), body });
          }
          start = page.LastEvaluatedKey;
        } while (start);
        return events;
      });
    },

    remove(conversation, sequence, signal) {
      return call('removing a parked event', async () => {
        await client.send(new DeleteCommand({ TableName: tableName, Key: key(conversationKey(conversation), eventKey(sequence)) }), { abortSignal: signal });
      });
    },

    requestResume(conversation, token, skip) {
      return call('asking for a resume', async () => {
        try {
          const result = await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key(conversationKey(conversation), STATE),
              UpdateExpression: 'SET #state = :resuming, resumeToken = :token, resumeRequestedAt = :now' + (skip ? ', skip = :skip' : ' REMOVE skip'),
              ConditionExpression: 'attribute_exists(#pk) AND #state = :parked' + (skip ? ' AND failingEventId = :skip' : ''),
              ExpressionAttributeNames: { '#pk': table.partitionKey, '#state': 'state' },
              ExpressionAttributeValues: { ':resuming': 'resuming', ':parked': 'parked', ':token': token, ':now': new Date().toISOString(), ...(skip ? { ':skip': skip } : {}) },
              ReturnValues: 'ALL_NEW',
            }),
          );
          return toConversation(result.Attributes ?? {});
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          const [current] = (await this.find([conversation])).values();
          if (!current) throw new ResumeRefusedError(`Conversation ${conversation} is not parked`, { cause: error });
          if (current.state === 'resuming') {
            // Asked again (its resume message lost, say): the pending resume stands, with its token and skip.
            if (skip === undefined || skip === current.resume?.skip) return current;
            throw new ResumeRefusedError(`Conversation ${conversation} is already resuming`, { cause: error });
          }
          throw new ResumeRefusedError(`Event ${String(skip)} is not the failing event of ${conversation} (that is ${current.failingEventId}): only the failing event can be skipped`, {
            cause: error,
          });
        }
      });
    },

    reopen(conversation, token, signal) {
      // Reopened already (a retry after a crash).
      return call('reopening a conversation', () =>
        onceDone(
          client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: key(conversationKey(conversation), STATE),
              ConditionExpression: 'resumeToken = :token',
              ExpressionAttributeValues: { ':token': token },
            }),
            { abortSignal: signal },
          ),
        ),
      );
    },

    repark(conversation, token, failing, signal) {
      // Parked again already by this resume (a retry after a crash).
      return call('parking a conversation again', () =>
        onceDone(
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key(conversationKey(conversation), STATE),
              UpdateExpression: 'SET #state = :parked, failingEventId = :event, #error = :error, attempts = :attempts, parkedAt = :now REMOVE resumeToken, resumeRequestedAt, skip',
              ConditionExpression: 'resumeToken = :token',
              ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
              ExpressionAttributeValues: {
                ':parked': 'parked',
                ':event': failing.eventId,
                ':error': failing.error,
                ':attempts': failing.attempts,
                ':now': new Date().toISOString(),
                ':token': token,
              },
            }),
            { abortSignal: signal },
          ),
        ),
      );
    },

    destroy() {
      client.destroy();
    },
  };
}
