import type { AddressInfo } from 'node:net';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { startLoopbackFauxqs } from '../fakes/fauxqs.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { eventHandlers as defaultHandlers } from '../../lib/handlers/registry.js';
import type { EventHandlers } from '../../lib/handlers/types.js';
import { providers as allProviders } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import { createS3Client } from '../../lib/archive/s3-client.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { localQueueTopology, type QueueTopology } from '../../lib/queue/topology.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import type { VerificationMode } from '../../lib/receiver/verification-mode.js';
import { fixedSecretSource, readEnvironmentSecrets } from './secrets.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { createLocalLog, type LocalLogFormat } from './log.js';
import { devProvider } from '../providers.js';
import { listDeadLetters, watchDeadLetters } from './dead-letters.js';
import { startPoller } from './poller.js';
import { ensureLocalQueues, queuesAt, type LocalQueues } from '../fakes/queues.js';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../fakes/dynamodb.js';
import { createEventIdempotency, type EventIdempotencyOptions } from '../../lib/worker/idempotency.js';
import { idempotencyTable, SECONDS_PER_DAY } from '../../lib/worker/idempotency-table.js';
import { clearLocalState, localStatePaths } from './state.js';
import { startLocalArchive, type LocalArchive, type LocalArchiveDelivery, type LocalArchiveStore } from './archive.js';
import { ArchiveQueryError, archiveQueryFromParameters, readArchive, type ArchiveQuery } from '../replay/read-archive.js';
import { createLocalServer, InspectQueryError, type ReceiverHandler } from './server.js';
import { createConsoleRecorder } from '../console/recorder.js';
import { redactText } from '../../lib/observability/redact.js';
import { consoleRoutes } from '../console/routes.js';
import { replayArchive } from '../replay/replay.js';
import { redriveByCopy } from '../redrive/redrive.js';
import { filterEvents } from './event-query.js';
import { errorLine, healthProblems } from './health.js';
import { hostAdvice, LocalSettingError, localLogLevel, localVerificationMode } from './settings.js';
import { createWorkerOutcomes } from './outcomes.js';
import { createParkStore, type ParkStore } from '../../lib/parking/park-store.js';
import { parkTable } from '../../lib/parking/park-table.js';
import { localRetryPolicy, type RetryPolicy } from '../../lib/parking/retry-policy.js';
import { listParked } from '../../lib/parking/listing.js';
import { resumeConversation } from '../../lib/parking/resume.js';
import { MediaSettingsError, mediaSettingsFromEnv, type MediaSettings } from '../../lib/media/settings.js';
import { LOOPBACK_ALLOWED } from '../../lib/net/outbound.js';
import { SAMPLE_MEDIA_PATH, serveSampleMedia, serveStoredMedia, STORED_MEDIA_PATH } from './media-server.js';

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1: a development server is not for the network. */
  readonly host?: string;
  /** Use this SQS endpoint instead of the embedded server; the queues are created there if missing. */
  readonly sqsEndpoint?: string | undefined;
  /** Where secrets and settings are read from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly topology?: QueueTopology;
  readonly handlers?: EventHandlers;
  readonly providers?: readonly ProviderDefinition[];
  /** Powertools log level; default from `POWERTOOLS_LOG_LEVEL`, else INFO. */
  readonly logLevel?: string;
  /** One human line per delivery and processed event, or the functions' JSON lines. @default 'json' */
  readonly logFormat?: LocalLogFormat;
  /** Where human lines go. @default process.stdout */
  readonly writeLine?: (line: string) => void;
  /** How often the dead-letter queue is looked at for new arrivals, to log them. @default 1000 */
  readonly deadLetterCheckMs?: number;
  /** Concurrent worker invocations. Default 4. */
  readonly workerConcurrency?: number;
  /** Overrides the SQS client of the receivers (tests use it to point them at a broken queue). */
  readonly receiverSqs?: SQSClient;
  /**
   * A folder where the embedded servers keep their state (queued events, dead letters, idempotency records, the archive)
   * across restarts; `npm start` uses `.local/`. @default - nothing is kept: everything is in memory
   */
  readonly stateDir?: string | undefined;
  /** Empty `stateDir` before starting. @default false */
  readonly fresh?: boolean;
  /**
   * Use this idempotency record store instead of the embedded dynalite (tests point it at a dead port);
   * `expiresAfterSeconds` defaults to the table definition's days.
   */
  readonly idempotency?: Partial<EventIdempotencyOptions> | undefined;
  /** Use this DynamoDB endpoint for the park store instead of the embedded dynalite (tests point it at a slow proxy). */
  readonly parkStoreEndpoint?: string | undefined;
  /** How a failing event is retried before its conversation parks. @default localRetryPolicy (1, 2, 4, 8 s: parked within about 20 s) */
  readonly retry?: RetryPolicy;
  /** How the worker archives, as the stack's `archiveDelivery`: through the Firehose stand-in, or an object per batch. @default 'firehose' */
  readonly archiveDelivery?: LocalArchiveDelivery;
}

/** How one provider's secret was configured, for the start-up banner. Never holds a real secret. */
interface SecretNotice {
  readonly provider: string;
  readonly variable: string;
  /** The development default, when the variable was unset (a labelled, public value). */
  readonly developmentDefault?: string;
  readonly verification: VerificationMode;
}

export interface LocalRuntime {
  readonly url: string;
  readonly sqsEndpoint: string;
  readonly queues: LocalQueues;
  readonly sqs: SQSClient;
  /** The archive: the embedded S3 server's endpoint and the bucket; a read through it flushes the Firehose stand-in first. */
  readonly archive: LocalArchiveStore;
  /** The idempotency records' DynamoDB endpoint (the embedded dynalite unless overridden). */
  readonly dynamoDbEndpoint: string;
  /** Where parked conversations are kept (`GET /_local/parked`, `npm run resume`). */
  readonly parkStore: ParkStore;
  /** Where the park store is, for tools in other processes. */
  readonly parkStoreLocation: { readonly endpoint: string; readonly tableName: string };
  /** The folder whose state this runtime keeps, if any. */
  readonly stateDir: string | undefined;
  readonly secretNotices: readonly SecretNotice[];
  /** The events the worker processed, oldest first. */
  events(): readonly WebhookEvent[];
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const RECEIVER_TIMEOUT_MS = 5_000;
// Enough to inspect a long session or a load test; older events are dropped first.
const RECORDED_EVENTS_LIMIT = 200_000;

/**
 * The whole pipeline in this process: an embedded SQS server (or `sqsEndpoint`), the queues of the
 * shared topology, one receiver per provider behind an API-Gateway-like HTTP server, and a poller driving
 * the worker as Lambda's SQS event source does.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const topology = options.topology ?? localQueueTopology;
  const providers = options.providers ?? allProviders;
  const handlers = options.handlers ?? defaultHandlers;
  // A type without a handler of its own goes to the default one, which only logs it: the console and `send` say so.
  const hasHandler = (type: string) => typeof (handlers as Readonly<Record<string, unknown>>)[type] === 'function';
  // The console (GET /) records what the receivers and the worker do, from their calls and their log items;
  // `GET /_local/outcomes` what the worker did with each event (run, or found handled before).
  const recorder = createConsoleRecorder({ hasHandler });
  const outcomes = createWorkerOutcomes(hasHandler);
  const log = createLocalLog({
    observe: (message, attributes) => {
      recorder.logged(message, attributes);
      outcomes.logged(message, attributes);
    },
    format: options.logFormat ?? 'json',
    // Checked before anything starts, as every setting below: an unusable value stops the runtime with its one line.
    logLevel: options.logLevel ?? localLogLevel(env.POWERTOOLS_LOG_LEVEL),
    ...(options.writeLine ? { write: options.writeLine } : {}),
  });
  const { logger } = log;

  const configured = providers.map((provider) => {
    const data = devProvider(provider);
    return { provider, data, secrets: readEnvironmentSecrets(data, env), verification: localVerificationMode(provider, env) };
  });

  // MEDIA_STORE=false, MEDIA_MAX_BYTES, MEDIA_TIME_LIMIT_SECONDS, MEDIA_ALLOW_HOSTS: as the stack sets them (docs/media.md).
  let media: MediaSettings;
  try {
    media = mediaSettingsFromEnv(env);
  } catch (error) {
    throw error instanceof MediaSettingsError ? new LocalSettingError(error.message, { cause: error }) : error;
  }

  const state = options.stateDir ? localStatePaths(options.stateDir) : undefined;
  if (options.stateDir && options.fresh) await clearLocalState(options.stateDir);

  let dynamodb: EmbeddedDynamoDb | undefined;
  let localArchive: LocalArchive | undefined;
  // The embedded server serves S3 (the archive) always, and SQS unless another endpoint is given.
  const fauxqs: FauxqsServer = await startLoopbackFauxqs({
    port: 0,
    logger: false,
    ...(state ? { s3StorageDir: state.archive, ...(options.sqsEndpoint ? {} : { dataDir: state.sqs }) } : {}),
  });
  const sqsEndpoint = options.sqsEndpoint ?? fauxqs.address;
  const s3 = createS3Client({ endpoint: fauxqs.address, region: REGION });
  const sqs = createSqsClient({ endpoint: sqsEndpoint, region: REGION });
  // The poller's long polls outlast the receivers' tight request timeout, so it gets its own client.
  const pollingSqs = createSqsClient({ endpoint: sqsEndpoint, region: REGION, requestTimeoutMs: 5_000 });

  try {
    if (!options.idempotency?.endpoint) dynamodb = await startEmbeddedDynamoDb({ path: state?.dynamodb });
    const idempotencySettings: EventIdempotencyOptions = {
      tableName: dynamodb?.tableName ?? idempotencyTable.localName,
      expiresAfterSeconds: idempotencyTable.defaultExpiryDays * SECONDS_PER_DAY,
      endpoint: dynamodb?.endpoint,
      region: REGION,
      ...options.idempotency,
    };
    const found = await ensureLocalQueues(sqs, topology).catch((error: unknown) => {
      if (!options.sqsEndpoint) throw error;
      throw new LocalSettingError(
        `SQS_ENDPOINT ${options.sqsEndpoint} cannot be reached (${errorLine(error)}): start that SQS server, or unset SQS_ENDPOINT to use the embedded one`,
        { cause: error },
      );
    });
    const queues = options.sqsEndpoint ? found : queuesAt(found, fauxqs.address);
    const parkStoreLocation = { endpoint: options.parkStoreEndpoint ?? dynamodb?.endpoint ?? idempotencySettings.endpoint ?? '', tableName: parkTable.localName };
    const parkStore = createParkStore({ ...parkStoreLocation, region: REGION });
    localArchive = await startLocalArchive({ s3, s3Endpoint: fauxqs.address, region: REGION, delivery: options.archiveDelivery });
    const archive = localArchive.store;
    const recorded: WebhookEvent[] = [];

    const receivers = new Map<string, ReceiverHandler>();
    const secretNotices: SecretNotice[] = [];
    for (const { provider, data, secrets, verification } of configured) {
      secretNotices.push({
        provider: provider.slug,
        variable: data.secretEnv,
        ...(secrets.developmentDefault ? { developmentDefault: data.developmentSecret } : {}),
        verification,
      });
      const handler = createReceiverHandler({
        provider,
        logger: logger.createChild({ persistentKeys: { function: `receiver-${provider.slug}` } }),
        secrets: fixedSecretSource(secrets.secrets),
        queue: { sqs: options.receiverSqs ?? sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: topology.maximumMessageSizeBytes },
        verification,
      });
      receivers.set(provider.slug, recorder.receiver(provider.slug, log.receiver(provider.slug, handler)));
    }

    const worker = createWorkerHandler({
      handlers,
      logger: logger.createChild({ persistentKeys: { function: 'worker' } }),
      archive: localArchive.destination,
      // Loopback allowed: the samples' media are served by this runtime (docs/media.md › Locally).
      media: media.enabled ? { s3, bucket: archive.bucket, settings: media, policy: LOOPBACK_ALLOWED } : undefined,
      idempotency: createEventIdempotency(idempotencySettings),
      parkStore,
      retry: options.retry ?? localRetryPolicy,
      queue: { sqs, queueUrl: queues.queueUrl, deadLetterQueueUrl: queues.deadLetterQueueUrl },
      onProcessed: (event) => {
        log.processed(event);
        // The console shows the event as its handler got it: with where its attachment was stored.
        recorder.processed(event);
        recorded.push(event);
        if (recorded.length > RECORDED_EVENTS_LIMIT) recorded.shift();
      },
    });
    const poller = startPoller({
      sqs: pollingSqs,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      region: REGION,
      handler: recorder.worker(worker),
      batchSize: topology.batchSize,
      concurrency: options.workerConcurrency ?? 4,
      functionTimeoutMs: topology.workerTimeoutSeconds * 1000,
      // One line without a stack: an unreachable queue is a situation, not a bug.
      onError: (error, retryInMs) => logger.error(`Polling the queue at ${sqsEndpoint} failed (${errorLine(error)}); retrying in ${String(retryInMs / 1000)} s`),
      onInvocationError: (error) => logger.error('The worker invocation failed; its batch will be retried', { error }),
      onRecovered: () => logger.info('Polling the queue works again'),
      // The queue server came back empty (restarted without its state): make the queues again, same names and URLs.
      onQueueMissing: async () => {
        await ensureLocalQueues(sqs, topology);
      },
    });

    const deadLetters = () => listDeadLetters(sqs, sqsEndpoint, topology.localNames.deadLetterQueue, queues.deadLetterQueueUrl);
    const deadLetterWatch = watchDeadLetters({
      list: deadLetters,
      intervalMs: options.deadLetterCheckMs ?? 1_000,
      onArrival: (letter) => {
        log.deadLettered(letter);
        recorder.deadLettered(letter);
      },
      onError: (error) => logger.error('Looking at the dead-letter queue failed', { error }),
    });
    const server = createLocalServer({
      health: () => Promise.resolve({ problems: healthProblems(poller.status(), sqsEndpoint) }),
      receivers,
      maximumBodyBytes: topology.maximumMessageSizeBytes,
      receiverTimeoutMs: RECEIVER_TIMEOUT_MS,
      onRefused: (answer) => {
        log.refused(answer);
        recorder.refused(answer);
      },
      // A tunnel that passes its own Host on (ngrok without --host-header=rewrite) is refused 421: the log says so.
      onGuardRefusal: ({ status, message, method, path, host }) =>
        logger.warn(`Refused ${method} ${redactText(path)} with ${String(status)}: ${status === 421 ? `Host ${JSON.stringify(host ?? '')} is not this runtime's loopback address` : message}`),
      routes: new Map([
        [`GET ${SAMPLE_MEDIA_PATH}*`, serveSampleMedia],
        [`GET ${STORED_MEDIA_PATH}*`, serveStoredMedia(s3, archive.bucket)],
        ...consoleRoutes({
        recorder,
        secrets: new Map(configured.map(({ provider, secrets }) => [provider.slug, secrets.secrets[0] ?? ''])),
        url: () => url,
        redrive: () => redriveByCopy({ sqs, deadLetterQueueUrl: queues.deadLetterQueueUrl, queueUrl: queues.queueUrl }),
        // What `npm run replay -- --conversation <id>` does: every archived event of it, in archive order.
        replay: (conversation) =>
          replayArchive({ archive, query: { conversation }, queue: { sqs, queueUrl: queues.queueUrl, maximumMessageSizeBytes: topology.maximumMessageSizeBytes } }),
        // What `npm run resume -- --conversation <id> [--skip <event id>]` does; the page lists them from GET /_local/parked.
        resume: (request) => resumeConversation(parkStore, { sqs, queueUrl: queues.queueUrl }, request),
        }),
      ]),
      inspect: {
        events: (query) => filterEvents(recorded, query),
        // What the worker did with each event: processed (with `handler` false: only logged), or a duplicate (`npm run send`).
        outcomes: (query) => outcomes.query(query),
        'dead-letters': deadLetters,
        // Parked conversations with their events' ids in order (`npm run resume`, the console).
        parked: () => listParked(parkStore),
        // Where the park store and the queue are, for `npm run resume`.
        'park-store': () => ({ ...parkStoreLocation, sqsEndpoint, queueUrl: queues.queueUrl }),
        // Where the queues are, for tools in other processes (`npm run redrive`): the embedded SQS server's port is random.
        queues: () => ({ sqsEndpoint, ...queues }),
        // Archived events, oldest first, filtered by the query (`conversation`, `provider`, `type`, `id`, `from`, `to`, `limit`).
        archive: async (parameters) => {
          let query: ArchiveQuery;
          try {
            query = archiveQueryFromParameters(parameters);
          } catch (error) {
            throw error instanceof ArchiveQueryError ? new InspectQueryError(error.message) : error;
          }
          return (await readArchive(archive, query)).events;
        },
        // Where the archive is, for `npm run replay`, which reads the bucket itself: what the stand-in buffers goes there first.
        'archive-store': async () => {
          await archive.flush();
          return { s3Endpoint: archive.s3Endpoint, bucket: archive.bucket, sqsEndpoint, queueUrl: queues.queueUrl };
        },
      },
    });
    const port = options.port ?? 3000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const hint = `stop what uses it (another npm start?), or choose another port, e.g. PORT=${String(port + 1)} npm start`;
        const host = options.host ?? '127.0.0.1';
        if (error.code === 'EADDRINUSE') reject(new LocalSettingError(`port ${String(port)} is in use: ${hint}`, { cause: error }));
        // An address of another machine, or a name that resolves to none: one line, not a stack trace.
        else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') reject(new LocalSettingError(hostAdvice(host), { cause: error }));
        else reject(error);
      });
      server.listen(port, options.host ?? '127.0.0.1', () => resolve());
    }).catch(async (error: unknown) => {
      await poller.stop();
      await deadLetterWatch.stop();
      throw error;
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

    return {
      url,
      sqsEndpoint,
      queues,
      sqs,
      archive,
      dynamoDbEndpoint: idempotencySettings.endpoint ?? '',
      parkStore,
      parkStoreLocation,
      stateDir: options.stateDir,
      secretNotices,
      events: () => recorded,
      async stop() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await poller.stop();
        await deadLetterWatch.stop();
        sqs.destroy();
        pollingSqs.destroy();
        parkStore.destroy();
        await localArchive?.stop();
        s3.destroy();
        await fauxqs.stop();
        await dynamodb?.stop();
      },
    };
  } catch (error) {
    await localArchive?.stop();
    s3.destroy();
    await fauxqs.stop();
    await dynamodb?.stop();
    throw error;
  }
}
