/**
 * `npm run cost [-- --json] [-- --write] [-- --from-file]`: what a million deliveries and an idle month cost in AWS,
 * every row computed by the cost model (`dev/cost/model.ts`) from what this command measures:
 *
 * - the stack `cdk synth` builds (default settings): memory sizes, Lambda's system and application log levels (the
 *   bundles run under the latter, as Lambda sets it), active tracing (the bundles then run with Lambda's tracing
 *   variables, their segments sent to a stand-in daemon), the access log format and its log group's class,
 *   and what costs by the month (secrets, KMS keys, alarms, dashboards, the archive's kind), counted in its template;
 * - each receiver bundle answering deliveries of its provider's default sample against the local AWS: CPU time and
 *   bytes written to its log per delivery, the size of the message it queued;
 * - the worker bundle on the queued events, in full batches (busy) and one event at a time (a trickle): CPU time
 *   and log bytes per batch, and, through a counting proxy in front of the local DynamoDB and S3, each request it
 *   makes (idempotency records, the park table's read, the archive's bytes).
 *
 * `--write` keeps the measured inputs in `dev/cost/measured.json` and the tables in docs/costs.md;
 * `--from-file` prints the model of the kept inputs without measuring. All traffic on loopback.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { functionEnvironment, lambdaTraceHeader, LOCAL_REGION, localSecretArn } from '../dev/fakes/lambda-aws.js';
import { localLambdaContext } from '../dev/local/lambda-context.js';
import { toSqsRecord } from '../dev/local/sqs-record.js';
import { median } from '../dev/load/statistics.js';
import type { SeenRequest } from '../dev/cost/counting-proxy.js';
import { accessLogLine, platformLogBytes } from '../dev/cost/log-lines.js';
import { costModel, CostInputsSchema, monthlyResources, type CostInputs, type TrafficShape } from '../dev/cost/model.js';
import { costJson, costTables, goalLines, replaceGenerated } from '../dev/cost/report.js';
import { parseCommandLine, usageError } from '../dev/cli/arguments.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_DELIVERY_STREAM_VARIABLE } from '../lib/archive/format.js';
import { PARK_TABLE_VARIABLE } from '../lib/parking/park-table.js';
import { providers } from '../lib/providers/registry.js';
import { createSqsClient } from '../lib/queue/sqs-client.js';
import { queueTopology } from '../lib/queue/topology.js';
import { DEAD_LETTER_QUEUE_URL_VARIABLE, QUEUE_URL_VARIABLE } from '../lib/queue/worker-queue.js';
import { IDEMPOTENCY_TABLE_VARIABLE } from '../lib/worker/idempotency.js';
import { synthesizeStack, type TemplateResources } from './lib/bundles.js';
import { startBenchChild } from './lib/child.js';
import { ProcessProfiler, type ProfileRow } from './lib/profile.js';
import { repositoryRoot } from './lib/paths.js';
import { httpApiEvent, lambdaContext, providerDeliveries, type WorkloadSecrets } from './lib/workload.js';

const USAGE = `Usage: npm run cost [-- --json] [-- --write] [-- --from-file] [-- --profile] [-- --context key=value ...]
  --json       print { busyPerMillion, tricklePerMillion, idleMonthly, rows, ... } instead of the tables
  --profile    also profile the worker's invocations: where its CPU time goes, per batch, busy and trickle (the
               profiler adds to the CPU it measures; the .cpuprofile files go to .bench-build/profiles)
  --write      keep the measured inputs in dev/cost/measured.json and the tables in docs/costs.md
  --from-file  compute from dev/cost/measured.json instead of measuring
  --context    a setting of gateway.config.json for the synthesised stack (as cdk -c key=value), e.g. idempotencyCapacity=provisioned`;
const { values: options } = parseCommandLine(
  'npm run cost',
  { options: { json: { type: 'boolean' }, write: { type: 'boolean' }, 'from-file': { type: 'boolean' }, profile: { type: 'boolean' }, context: { type: 'string', multiple: true } }, strict: true, allowPositionals: false },
  USAGE,
);

const context = Object.fromEntries(
  (options.context ?? []).map((pair) => {
    const [key, ...value] = pair.split('=');
    if (!key || value.length === 0) usageError('npm run cost', `--context takes key=value, not "${pair}"`, USAGE);
    return [key, value.join('=')];
  }),
);
if (options.write && Object.keys(context).length > 0) usageError('npm run cost', '--write keeps the default stack only: leave out --context', USAGE);
if (options.write && options.profile) usageError('npm run cost', '--write keeps unprofiled measurements only: leave out --profile', USAGE);
if (options.profile && options['from-file']) usageError('npm run cost', '--profile measures: leave out --from-file', USAGE);

const MEASURED_FILE = join(repositoryRoot, 'dev/cost/measured.json');
const DOCS_FILE = join(repositoryRoot, 'docs/costs.md');

/** Assumed, not measured here: a same-region SQS `SendMessage` answers in about 15 ms (the middle of the 10–20 ms commonly observed). */
const SEND_LATENCY_MS = 15;
/** Assumed: a same-region DynamoDB, S3 or Firehose call answers in about 8 ms. */
const STORE_LATENCY_MS = 8;
/**
 * The proxy holds each answer this long, so that the worker's wait divided by it counts its round trips (calls made
 * side by side once); long beside the local servers' own few milliseconds, which it would otherwise count.
 */
const PROXY_LATENCY_MS = 50;
const DELIVERIES = 200;
const WARMUP = 20;

type ReceiverHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Runs `act`, counting the bytes written to stdout and stderr (the function's log) instead of writing them. */
async function counted<T>(act: () => Promise<T>): Promise<{ result: T; bytes: number; cpuMs: number; lines: string[] }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let bytes = 0;
  const lines: string[] = [];
  const count = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    bytes += Buffer.byteLength(text);
    lines.push(text);
    return true;
  };
  process.stdout.write = count;
  process.stderr.write = count;
  const cpu = process.cpuUsage();
  try {
    const result = await act();
    const used = process.cpuUsage(cpu);
    return { result, bytes, cpuMs: (used.user + used.system) / 1000, lines };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The custom metrics (namespace, name, dimension values) an EMF document in `text` publishes. */
function metricIdentities(text: string): string[] {
  const identities: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const document = JSON.parse(line) as { _aws?: { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
    for (const directive of document._aws?.CloudWatchMetrics ?? []) {
      for (const dimensions of directive.Dimensions) {
        const values = dimensions.map((name) => `${name}=${String(document[name])}`).join(',');
        for (const metric of directive.Metrics) identities.push(`${directive.Namespace}|${metric.Name}|${values}`);
      }
    }
  }
  return identities;
}

/** What the template holds that the model needs. */
function fromTemplate(resources: TemplateResources) {
  const all = Object.values(resources);
  const functions = all.filter((resource) => resource.Type === 'AWS::Lambda::Function');
  const systemLevels = new Set(functions.map((fn) => (fn.Properties?.LoggingConfig as { SystemLogLevel?: string } | undefined)?.SystemLogLevel));
  // Lambda's active tracing: the X-Ray SDK a bundle carries then sends its segments, work measured here too.
  const tracingModes = new Set(functions.map((fn) => (fn.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode));
  if (tracingModes.size !== 1) throw new Error(`cost: the functions have different tracing modes (${[...tracingModes].join(', ')})`);
  if (systemLevels.size !== 1) throw new Error(`cost: the functions have different system log levels (${[...systemLevels].join(', ')})`);
  // Lambda's application log-level filter (`AWS_LAMBDA_LOG_LEVEL`, which the functions' loggers and metric lines follow).
  const applicationLevels = new Set(functions.map((fn) => (fn.Properties?.LoggingConfig as { ApplicationLogLevel?: string } | undefined)?.ApplicationLogLevel));
  const [applicationLogLevel] = applicationLevels;
  if (applicationLevels.size !== 1 || !applicationLogLevel) throw new Error(`cost: the functions have different application log levels (${[...applicationLevels].join(', ')})`);
  const powertoolsLevels = new Set(functions.map((fn) => (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_LOG_LEVEL));
  const [powertoolsLogLevel] = powertoolsLevels;
  if (powertoolsLevels.size !== 1 || typeof powertoolsLogLevel !== 'string') throw new Error(`cost: the functions have different POWERTOOLS_LOG_LEVEL (${[...powertoolsLevels].join(', ')})`);
  const stage = all.find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage');
  const accessLog = stage?.Properties?.AccessLogSettings as { Format?: string; DestinationArn?: { 'Fn::GetAtt'?: [string, string] } } | undefined;
  const format = accessLog?.Format;
  if (!format) throw new Error('cost: the API stage has no access log format');
  const accessLogGroupId = accessLog.DestinationArn?.['Fn::GetAtt']?.[0];
  const accessLogGroup = accessLogGroupId ? resources[accessLogGroupId] : undefined;
  if (accessLogGroup?.Type !== 'AWS::Logs::LogGroup') throw new Error('cost: the API stage logs to no log group of the stack');
  // The worker is the function with the idempotency table in its environment.
  const workerFunction = functions.find((fn) => (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[IDEMPOTENCY_TABLE_VARIABLE] !== undefined);
  const workerTimeoutSeconds = workerFunction?.Properties?.Timeout;
  if (typeof workerTimeoutSeconds !== 'number') throw new Error('cost: no worker function with a timeout in the template');
  // The idempotency table: the one the worker's variable names; provisioned when auto scaling sets its capacity.
  const idempotencyRef = (workerFunction?.Properties?.Environment as { Variables?: Record<string, { Ref?: string } | undefined> } | undefined)?.Variables?.[IDEMPOTENCY_TABLE_VARIABLE]?.Ref;
  const idempotencyTable = idempotencyRef ? resources[idempotencyRef] : undefined;
  const throughput = idempotencyTable?.Properties?.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined;
  const policy = all.find((resource) => resource.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy');
  const target = (policy?.Properties?.TargetTrackingScalingPolicyConfiguration as { TargetValue?: number } | undefined)?.TargetValue;
  return {
    idempotencyCapacity:
      idempotencyTable?.Properties?.BillingMode !== 'PAY_PER_REQUEST' && throughput
        ? { mode: 'provisioned' as const, minWriteUnits: throughput.WriteCapacityUnits, minReadUnits: throughput.ReadCapacityUnits, targetUtilization: (target ?? 100) / 100 }
        : { mode: 'on-demand' as const },
    workerTimeoutMs: workerTimeoutSeconds * 1000,
    activeTracing: [...tracingModes][0] === 'Active',
    systemLogLevel: [...systemLevels][0],
    applicationLogLevel,
    powertoolsLogLevel,
    accessLogFormat: format,
    accessLogClass: accessLogGroup.Properties?.LogGroupClass === 'INFREQUENT_ACCESS' ? ('INFREQUENT_ACCESS' as const) : ('STANDARD' as const),
    stack: monthlyResources(resources),
  };
}

/** What a batch's requests to DynamoDB and the archive (S3 or Firehose) come to. */
function billedRequests(dynamodb: readonly SeenRequest[], archive: readonly SeenRequest[], tables: { idempotency: string; park: string }) {
  const counts = { idempotencyWrites: 0, idempotencyReads: 0, parkReads: 0, archiveBytes: 0, archiveStoredBytes: 0, calls: dynamodb.length + archive.length };
  // Each item is under 1 KB (the request body is, and holds it): a write is one unit, a consistent read one unit.
  const units = (body: Buffer) => Math.max(1, Math.ceil(body.length / 1024));
  for (const { operation, body } of dynamodb) {
    const request = JSON.parse(body.toString('utf8')) as { TableName?: string; RequestItems?: Record<string, { Keys?: unknown[] }> };
    const action = operation.split('.')[1] ?? operation;
    if (action === 'BatchGetItem') {
      for (const [table, { Keys = [] }] of Object.entries(request.RequestItems ?? {})) {
        if (table === tables.park) counts.parkReads += Keys.length;
        else counts.idempotencyReads += Keys.length;
      }
      continue;
    }
    const isPark = request.TableName === tables.park;
    if (['PutItem', 'UpdateItem', 'DeleteItem'].includes(action)) {
      if (isPark) throw new Error(`cost: the park table was written (${action}) while no handler failed`);
      counts.idempotencyWrites += units(body);
    } else if (['GetItem', 'Query'].includes(action)) {
      if (isPark) counts.parkReads += 1;
      else counts.idempotencyReads += 1;
    }
  }
  for (const { operation, body } of archive) {
    if (operation.endsWith('.PutRecordBatch') || operation.endsWith('.PutRecord')) {
      // Firehose: the records' bytes as sent; stored as Firehose writes them, gzip-compressed (here per batch).
      const request = JSON.parse(body.toString('utf8')) as { Records?: { Data: string }[]; Record?: { Data: string } };
      const data = Buffer.concat((request.Records ?? (request.Record ? [request.Record] : [])).map((record) => Buffer.from(record.Data, 'base64')));
      counts.archiveBytes += data.length;
      counts.archiveStoredBytes += gzipSync(data).length;
      continue;
    }
    if (!operation.startsWith('PUT ')) continue;
    counts.archiveStoredBytes += body.length;
    counts.archiveBytes += gunzipSync(body).length;
  }
  return counts;
}

/** The worker's profiles (`--profile`), busy and trickle. */
const profiles: ({ name: string } & Awaited<ReturnType<ProcessProfiler['stop']>>)[] = [];

/** Where the worker's CPU goes, per batch: the functions and origins with the most self time, and their total time. */
async function profileReport(): Promise<string> {
  const directory = join(repositoryRoot, '.bench-build/profiles');
  await mkdir(directory, { recursive: true });
  const lines: string[] = [];
  const table = (rows: readonly ProfileRow[], count: number) => rows.slice(0, count).map((row) => `  ${row.selfMs.toFixed(2).padStart(6)} ${row.totalMs.toFixed(2).padStart(6)}  ${row.name}`);
  for (const { name, profile, windows, byFunction, byOrigin } of profiles) {
    const file = join(directory, `worker-${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const sampled = byOrigin.reduce((sum, row) => sum + row.selfMs, 0);
    lines.push(`Worker, ${name}: ${sampled.toFixed(2)} ms sampled per batch over ${String(windows)} batches (${file})`, '  self ms  total ms, by origin', ...table(byOrigin, 15), '  self ms  total ms, by function', ...table(byFunction, 30), '');
    const heaviest = [...byFunction].sort((a, b) => b.totalMs - a.totalMs).filter((row) => !row.name.startsWith('('));
    lines.push('  by total time', ...table(heaviest, 40), '');
  }
  return lines.join('\n');
}

async function measure(): Promise<CostInputs> {
  const run = randomBytes(4).toString('hex');
  const receiverSecrets = Object.fromEntries(
    providers.map((provider) => [provider.slug, provider.slug === 'qikchat' ? `cost:${randomBytes(12).toString('hex')}` : randomBytes(24).toString('hex')]),
  );
  const secrets: WorkloadSecrets = { receiver: (provider) => receiverSecrets[provider.slug] ?? '', baseline: randomBytes(24).toString('hex') };
  const child = await startBenchChild('cost-aws', 'bench/sections/cost-aws.ts', {
    ...(process.env as Record<string, string>),
    COST_AWS: JSON.stringify({ secrets: Object.fromEntries(providers.map((provider) => [localSecretArn(provider.slug), secrets.receiver(provider)])), latencyMs: PROXY_LATENCY_MS }),
  });
  try {
    // The default build, as `cdk deploy` ships it: bundles, memory sizes, Node options and log levels from the template.
    const { functions: staged, resources } = await synthesizeStack('cost', context);
    const template = fromTemplate(resources);
    const stagedFunction = (name: string) => {
      const found = staged.find((fn) => fn.name === name);
      if (!found) throw new Error(`cost: cdk synth staged no ${name} function`);
      return found;
    };
    const worker = stagedFunction('worker');
    const aws = await child.request<{
      sqsEndpoint: string;
      secretsManagerEndpoint: string;
      xrayDaemonAddress: string;
      queueUrl: string;
      dynamodbEndpoint: string;
      tableName: string;
      parkTableName: string;
      s3Endpoint: string;
      bucket: string;
      firehoseEndpoint: string;
      deliveryStream: string;
    }>('endpoints');
    const take = async () => {
      const taken = await child.request<Record<'dynamodb' | 's3' | 'firehose', { operation: string; body: string }[]> & { waitMs: number }>('take');
      const decode = (requests: { operation: string; body: string }[]) => requests.map(({ operation, body }) => ({ operation, body: Buffer.from(body, 'base64') }));
      return { dynamodb: decode(taken.dynamodb), s3: decode(taken.s3), firehose: decode(taken.firehose), waitMs: taken.waitMs };
    };
    const tracing = template.activeTracing ? { daemonAddress: aws.xrayDaemonAddress, taskRoot: dirname(worker.file), functionName: 'cost' } : undefined;
    Object.assign(process.env, functionEnvironment({ aws, queueUrl: aws.queueUrl, nodeOptions: worker.nodeOptions, logLevel: template.powertoolsLogLevel, ...(tracing ? { tracing } : {}) }), {
      // What Lambda sets from the function's LoggingConfig; what its filter would drop is not written at all.
      AWS_LAMBDA_LOG_LEVEL: template.applicationLogLevel,
    });
    // Lambda sets a new trace header for every invocation (not measured: the runtime's work).
    const traced = <T>(invoke: () => T): T => {
      if (tracing) process.env._X_AMZN_TRACE_ID = lambdaTraceHeader();
      return invoke();
    };
    const metrics = new Set<string>();

    // ---------------------------------------------------------------------------------------- receivers
    const receivers: { slug: string; cpuMs: number; logBytes: number; memoryMb: number }[] = [];
    for (const provider of providers) {
      const bundle = stagedFunction(provider.slug);
      process.env.PROVIDER_SECRET_ARN = localSecretArn(provider.slug);
      const { handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: ReceiverHandler };
      const deliveries = await providerDeliveries(provider, { count: DELIVERIES + WARMUP, run: `${run}-cost`, secrets, conversations: 50 });
      const cpu: number[] = [];
      const bytes: number[] = [];
      for (const [i, delivery] of deliveries.entries()) {
        const { result, cpuMs, bytes: written, lines } = await traced(() => counted(() => handler(httpApiEvent(provider.slug, delivery.body, delivery.headers), lambdaContext(`cost-${provider.slug}`))));
        if (result.statusCode !== 200) throw new Error(`cost: ${provider.slug} answered ${String(result.statusCode)}`);
        for (const identity of metricIdentities(lines.join(''))) metrics.add(identity);
        if (i < WARMUP) continue;
        cpu.push(cpuMs);
        bytes.push(written);
      }
      receivers.push({ slug: provider.slug, cpuMs: median(cpu), logBytes: median(bytes), memoryMb: bundle.memorySize });
    }

    // ------------------------------------------------------------------------------------------- worker
    Object.assign(process.env, {
      [IDEMPOTENCY_TABLE_VARIABLE]: aws.tableName,
      [PARK_TABLE_VARIABLE]: aws.parkTableName,
      [ARCHIVE_BUCKET_VARIABLE]: aws.bucket,
      [QUEUE_URL_VARIABLE]: aws.queueUrl,
      [DEAD_LETTER_QUEUE_URL_VARIABLE]: aws.queueUrl,
      AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
      AWS_ENDPOINT_URL_S3: aws.s3Endpoint,
      AWS_ENDPOINT_URL_FIREHOSE: aws.firehoseEndpoint,
      // As the stack sets it when it archives through Firehose; without it the worker puts each batch to the bucket.
      ...(template.stack.archiveKept === 'firehose' ? { [ARCHIVE_DELIVERY_STREAM_VARIABLE]: aws.deliveryStream } : {}),
    });
    const { handler: work } = (await import(pathToFileURL(worker.file).href)) as { handler: WorkerHandler };
    const sqs = createSqsClient({ endpoint: aws.sqsEndpoint });
    const tables = { idempotency: aws.tableName, park: aws.parkTableName };
    let messageBytes = 0;
    const requestsOf = async (names: typeof tables) => {
      const { dynamodb, s3, firehose, waitMs } = await take();
      return { ...billedRequests(dynamodb, [...s3, ...firehose], names), waitMs };
    };
    const batches = async (maxMessages: number, limit: number, profiler?: ProcessProfiler) => {
      const measured: { events: number; cpuMs: number; logBytes: number; requests: ReturnType<typeof billedRequests> & { waitMs: number } }[] = [];
      while (measured.length < limit) {
        const { Messages = [] }: { Messages?: Message[] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: aws.queueUrl, MaxNumberOfMessages: maxMessages, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) messageBytes = Math.max(messageBytes, Buffer.byteLength(message.Body ?? ''));
        const event: SQSEvent = { Records: Messages.map((message) => toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:chat-webhook-events.fifo', LOCAL_REGION)) };
        await take();
        const invoke = () => traced(() => counted(() => work(event, localLambdaContext('cost-worker', template.workerTimeoutMs))));
        const { result, cpuMs, bytes, lines } = profiler ? await profiler.window(invoke) : await invoke();
        if (result.batchItemFailures.length > 0) throw new Error(`cost: the worker failed events: ${lines.filter((line) => line.includes('"ERROR"')).join('').slice(0, 6000)}`);
        for (const identity of metricIdentities(lines.join(''))) metrics.add(identity);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: aws.queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
        measured.push({ events: Messages.length, cpuMs, logBytes: bytes, requests: await requestsOf(tables) });
      }
      return measured;
    };
    const shape = (measured: Awaited<ReturnType<typeof batches>>, events: number): TrafficShape => {
      const of = measured.filter((batch) => batch.events === events);
      if (of.length < 5) throw new Error(`cost: only ${of.length} batches of ${events} events to measure`);
      const med = (pick: (batch: (typeof of)[number]) => number) => median(of.map(pick));
      return {
        eventsPerBatch: events,
        cpuMsPerBatch: med((batch) => batch.cpuMs),
        logBytesPerBatch: med((batch) => batch.logBytes),
        storeCallsPerBatch: med((batch) => batch.requests.calls),
        // The local servers take a few milliseconds of their own: never more round trips than calls.
        storeRoundTripsPerBatch: med((batch) => Math.min(batch.requests.calls, batch.requests.waitMs / PROXY_LATENCY_MS)),
        idempotencyWriteUnitsPerBatch: med((batch) => batch.requests.idempotencyWrites),
        idempotencyReadUnitsPerBatch: med((batch) => batch.requests.idempotencyReads),
        parkReadUnitsPerBatch: med((batch) => batch.requests.parkReads),
        archiveBytesPerBatch: med((batch) => batch.requests.archiveBytes),
        archiveStoredBytesPerBatch: med((batch) => batch.requests.archiveStoredBytes),
      };
    };
    // The first invocation is the cold one: measured, not counted.
    await batches(queueTopology.batchSize, 1);
    const profiled = async (name: string, maxMessages: number, limit: number) => {
      if (!options.profile) return batches(maxMessages, limit);
      const profiler = await ProcessProfiler.start();
      const measured = await batches(maxMessages, limit, profiler);
      profiles.push({ name, ...(await profiler.stop()) });
      return measured;
    };
    const busy = shape(await profiled('busy', queueTopology.batchSize, 40), queueTopology.batchSize);
    const trickle = shape(await profiled('trickle', 1, 60), 1);

    const costliest = receivers.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
    return CostInputsSchema.parse({
      measuredAt: new Date().toISOString(),
      receiver: {
        provider: costliest.slug,
        memoryMb: Math.max(...receivers.map((r) => r.memoryMb)),
        cpuMs: round(costliest.cpuMs, 3),
        logBytes: Math.max(...receivers.map((r) => r.logBytes)),
        platformLogBytes: platformLogBytes(template.systemLogLevel),
        messageBytes,
      },
      worker: { memoryMb: worker.memorySize, batchSize: queueTopology.batchSize, platformLogBytes: platformLogBytes(template.systemLogLevel), busy: rounded(busy), trickle: rounded(trickle) },
      accessLogBytes: Buffer.byteLength(`${accessLogLine(template.accessLogFormat)}\n`),
      accessLogClass: template.accessLogClass,
      sendLatencyMs: SEND_LATENCY_MS,
      storeLatencyMs: STORE_LATENCY_MS,
      idempotencyCapacity: template.idempotencyCapacity,
      stack: template.stack,
      customMetrics: metrics.size,
    });
  } finally {
    await child.stop();
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function rounded(shape: TrafficShape): TrafficShape {
  return Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, round(value, 3)])) as unknown as TrafficShape;
}

const inputs = options['from-file'] ? CostInputsSchema.parse(JSON.parse(await readFile(MEASURED_FILE, 'utf8'))) : await measure();
const model = costModel(inputs);
if (options.write) {
  await writeFile(MEASURED_FILE, `${JSON.stringify(inputs, null, 2)}\n`);
  await writeFile(DOCS_FILE, replaceGenerated(await readFile(DOCS_FILE, 'utf8'), costTables(model, inputs)));
}
process.stdout.write(options.json ? `${JSON.stringify(costJson(model, inputs), null, 2)}\n` : `${costTables(model, inputs)}\n\n${goalLines(model).join('\n')}\n`);
if (options.profile) process.stderr.write(`\n${await profileReport()}\n`);
// The embedded servers' sockets and the bundles' clients would keep the process a while.
process.exit(0);
