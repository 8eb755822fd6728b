/**
 * `npm run bench:worker -- [--batch-size N] [--batches N] [--a key=value ...] [--b key=value ...]`: the worker's CPU
 * time per batch, two builds side by side. Each `--a` / `--b` is a setting of gateway.config.json for its
 * `cdk synth` (as `cdk -c key=value`); each build's worker bundle runs in a process of its own
 * (`bench/sections/worker-host.ts`) with the environment the stack and Lambda give it (active tracing included,
 * its segments sent to the stand-in daemon), against the local AWS of `npm run cost`. The batches go to the two in
 * turn, so that whatever else the machine does falls on both alike: on a shared machine a difference of a few
 * milliseconds between two separate `npm run cost` runs is noise; here it is not.
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { parseCommandLine, usageError } from '../dev/cli/arguments.js';
import { functionEnvironment, LOCAL_REGION } from '../dev/fakes/lambda-aws.js';
import { toSqsRecord } from '../dev/local/sqs-record.js';
import { median } from '../dev/load/statistics.js';
import { ARCHIVE_BUCKET_VARIABLE, ARCHIVE_DELIVERY_STREAM_VARIABLE } from '../lib/archive/format.js';
import { normaliseDelivery } from '../lib/normalise/normalise.js';
import { PARK_TABLE_VARIABLE } from '../lib/parking/park-table.js';
import { providers } from '../lib/providers/registry.js';
import { messageGroupId, serialiseEvent } from '../lib/queue/enqueue.js';
import { createSqsClient } from '../lib/queue/sqs-client.js';
import { queueTopology } from '../lib/queue/topology.js';
import { DEAD_LETTER_QUEUE_URL_VARIABLE, QUEUE_URL_VARIABLE } from '../lib/queue/worker-queue.js';
import { IDEMPOTENCY_TABLE_VARIABLE } from '../lib/worker/idempotency.js';
import { signDelivery } from '../dev/providers.js';
import { synthesizeStack } from './lib/bundles.js';
import { startBenchChild, type BenchChild } from './lib/child.js';
import { defaultSample, listSamples, readSample } from '../dev/local/samples.js';
import { uniquePayload } from './lib/workload.js';

const USAGE = `Usage: npm run bench:worker -- [--batch-size N] [--batches N] [--a key=value ...] [--b key=value ...]
  --batch-size  events per batch (default 1, a trickle; ${String(queueTopology.batchSize)} is a busy queue's)
  --batches     batches measured per build (default 60), after 5 each to warm up
  --a, --b      a setting of gateway.config.json for build A or B (as cdk -c key=value), e.g. --b detailedTracing=true`;
const { values: options } = parseCommandLine(
  'npm run bench:worker',
  { options: { 'batch-size': { type: 'string' }, batches: { type: 'string' }, a: { type: 'string', multiple: true }, b: { type: 'string', multiple: true } }, strict: true, allowPositionals: false },
  USAGE,
);
const whole = (name: string, text: string | undefined, fallback: number, max: number) => {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) usageError('npm run bench:worker', `--${name} takes a whole number from 1 to ${String(max)}, not "${String(text)}"`, USAGE);
  return value;
};
const batchSize = whole('batch-size', options['batch-size'], 1, queueTopology.batchSize);
const batches = whole('batches', options.batches, 60, 1_000);
const contextOf = (pairs: readonly string[] = []) =>
  Object.fromEntries(
    pairs.map((pair) => {
      const [key, ...value] = pair.split('=');
      if (!key || value.length === 0) usageError('npm run bench:worker', `--a and --b take key=value, not "${pair}"`, USAGE);
      return [key, value.join('=')];
    }),
  );
const WARMUP = 5;
/** The proxy's hold on each DynamoDB, S3 or Firehose answer: short, the waits are not measured here. */
const PROXY_LATENCY_MS = 5;

const builds = [
  { name: 'A', context: contextOf(options.a) },
  { name: 'B', context: contextOf(options.b) },
];
const say = (line: string) => process.stderr.write(`${line}\n`);

const aws = await startBenchChild('worker-cpu-aws', 'bench/sections/cost-aws.ts', { ...(process.env as Record<string, string>), COST_AWS: JSON.stringify({ secrets: {}, latencyMs: PROXY_LATENCY_MS }) });
const hosts: BenchChild[] = [];
try {
  const endpoints = await aws.request<Record<string, string>>('endpoints');
  const endpoint = (key: string) => endpoints[key] ?? '';
  for (const build of builds) {
    say(`cdk synth ${JSON.stringify(build.context)} (build ${build.name})`);
    const { functions, resources } = await synthesizeStack(`worker-cpu-${build.name.toLowerCase()}`, build.context);
    const worker = functions.find((fn) => fn.name === 'worker');
    if (!worker) throw new Error('bench: cdk synth staged no worker');
    const template = Object.values(resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && JSON.stringify(resource.Properties?.Environment ?? {}).includes(IDEMPOTENCY_TABLE_VARIABLE));
    const timeoutMs = Number(template?.Properties?.Timeout ?? 60) * 1000;
    const traced = (template?.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active';
    const firehose = Object.values(resources).some((resource) => resource.Type === 'AWS::KinesisFirehose::DeliveryStream');
    hosts.push(
      await startBenchChild(`worker-cpu-${build.name.toLowerCase()}`, 'bench/sections/worker-host.ts', {
        ...functionEnvironment({
          aws: { sqsEndpoint: endpoint('sqsEndpoint'), secretsManagerEndpoint: endpoint('secretsManagerEndpoint') },
          queueUrl: endpoint('queueUrl'),
          nodeOptions: worker.nodeOptions,
          ...(traced ? { tracing: { daemonAddress: endpoint('xrayDaemonAddress'), taskRoot: dirname(worker.file), functionName: 'bench-worker' } } : {}),
        }),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(worker.memorySize),
        [IDEMPOTENCY_TABLE_VARIABLE]: endpoint('tableName'),
        [PARK_TABLE_VARIABLE]: endpoint('parkTableName'),
        [ARCHIVE_BUCKET_VARIABLE]: endpoint('bucket'),
        [QUEUE_URL_VARIABLE]: endpoint('queueUrl'),
        [DEAD_LETTER_QUEUE_URL_VARIABLE]: endpoint('queueUrl'),
        AWS_ENDPOINT_URL_DYNAMODB: endpoint('dynamodbEndpoint'),
        AWS_ENDPOINT_URL_S3: endpoint('s3Endpoint'),
        AWS_ENDPOINT_URL_FIREHOSE: endpoint('firehoseEndpoint'),
        ...(firehose ? { [ARCHIVE_DELIVERY_STREAM_VARIABLE]: endpoint('deliveryStream') } : {}),
        BENCH_WORKER: JSON.stringify({ file: worker.file, timeoutMs }),
      }),
    );
  }

  // The events: each provider's default sample made unique, normalised as its receiver would, in the queue.
  const sqs = createSqsClient({ endpoint: endpoint('sqsEndpoint') });
  const queueUrl = endpoint('queueUrl');
  const run = randomBytes(4).toString('hex');
  const total = (batches + WARMUP) * batchSize * builds.length;
  const bodies: { body: string; group: string }[] = [];
  for (let i = 0; bodies.length < total; i++) {
    const provider = providers[i % providers.length];
    if (!provider) break;
    const sample = JSON.parse((await readSample(provider.slug, defaultSample(await listSamples(provider.slug)) ?? '')).toString('utf8')) as Record<string, unknown>;
    const rawBody = Buffer.from(JSON.stringify(uniquePayload(provider.slug, sample, run, i, i)));
    const event = normaliseDelivery(provider, { rawBody, headers: { 'content-type': 'application/json', ...signDelivery(provider, rawBody, 'bench') }, receivedAt: new Date() });
    bodies.push({ body: serialiseEvent(event), group: messageGroupId(event) });
  }
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map(({ body, group }, j) => ({ Id: String(j), MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `${run}-${String(i + j)}` })),
      }),
    );
  }

  const cpu: number[][] = builds.map(() => []);
  say(`${String(batches)} batches of ${String(batchSize)} per build, A and B in turn (${String(WARMUP)} each first to warm up)`);
  for (let round = 0; round < batches + WARMUP; round++) {
    // Which goes first alternates: neither always follows the other's work.
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const messages: Message[] = [];
      while (messages.length < batchSize) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: batchSize - messages.length, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 1 }),
        );
        if (Messages.length === 0) throw new Error('bench: the queue ran dry');
        messages.push(...Messages);
      }
      const event: SQSEvent = { Records: messages.map((message) => toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:chat-webhook-events.fifo', LOCAL_REGION)) };
      const result = await hosts[index]?.request<{ cpuMs: number; failures: number }>('invoke', event);
      if (!result || result.failures > 0) throw new Error(`bench: build ${builds[index]?.name ?? ''} failed ${String(result?.failures)} events; see ${hosts[index]?.logFile ?? ''}`);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      await aws.request('take');
      if (round >= WARMUP) cpu[index]?.push(result.cpuMs);
    }
  }
  const quartiles = (values: readonly number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return `median ${median(sorted).toFixed(2)} ms (quartiles ${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)})`;
  };
  for (const [index, build] of builds.entries()) say(`${build.name} ${JSON.stringify(build.context)}: ${quartiles(cpu[index] ?? [])} CPU per batch of ${String(batchSize)}`);
  const [a = [], b = []] = cpu;
  // The median of B − A over the rounds (each pair taken close together); `median` takes no negative numbers.
  const differences = a.map((value, i) => (b[i] ?? value) - value).sort((x, y) => x - y);
  const middle = differences.length / 2;
  const medianDifference = differences.length % 2 === 1 ? (differences[Math.floor(middle)] ?? 0) : ((differences[middle - 1] ?? 0) + (differences[middle] ?? 0)) / 2;
  say(`B − A, the median of the paired differences: ${medianDifference.toFixed(2)} ms per batch`);
} finally {
  for (const host of hosts) await host.stop();
  await aws.stop();
}
process.exit(0);
