/**
 * `npx tsx bench/cost.ts`: the measured inputs of the cost per million deliveries in BENCHMARKS.md, and the
 * table computed from them. Each receiver bundle (default build, as the stack ships it) answers deliveries of
 * its provider's default sample against the local AWS; the worker bundle then processes the queued events in
 * batches of the stack's size. Measured: CPU time per delivery and per batch, and the bytes each function
 * writes to its log (its JSON log lines and EMF documents). Not part of `npm test`; all traffic on loopback.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsRecord } from '../dev/local/sqs-record.js';
import { providers } from '../lib/providers/registry.js';
import { createSqsClient } from '../lib/queue/sqs-client.js';
import { queueTopology } from '../lib/queue/topology.js';
import { IDEMPOTENCY_TABLE_VARIABLE } from '../lib/worker/idempotency.js';
import { startEmbeddedDynamoDb } from '../dev/fakes/dynamodb.js';
import { functionEnvironment, LOCAL_REGION, localSecretArn, startLambdaAws } from '../dev/fakes/lambda-aws.js';
import { synthesizeFunctions } from './lib/bundles.js';
import { repositoryRoot } from './lib/paths.js';
import { formatNumber, table } from './lib/report.js';
import type { BenchResults } from './lib/results.js';
import { median } from '../dev/load/statistics.js';
import { httpApiEvent, lambdaContext, providerDeliveries, type WorkloadSecrets } from './lib/workload.js';

/** us-east-1 list prices, read from the AWS pricing pages on 2026-11-29. */
export const PRICES = {
  apiGatewayHttpPerMillion: 1.0,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  sqsFifoPerMillionRequests: 0.5,
  logsIngestionPerGb: 0.5,
  customMetricPerMonth: 0.3,
  secretsManagerPer10kCalls: 0.05,
} as const;

/** The assumed latency of one `SendMessage` to SQS FIFO in the same region, added to the measured CPU time. */
export const SQS_SEND_LATENCY_MS = 15;

/**
 * What Lambda itself writes per invocation with JSON logs at system level INFO (`platform.start` and
 * `platform.report`), measured from a deployed Node.js function's log lines of this shape, in bytes.
 */
export const LAMBDA_PLATFORM_LOG_BYTES = 520;

/** One HTTP API access log line in the stack's JSON format (`WebhookApi`), in bytes, for a 200 answer. */
export const API_ACCESS_LOG_BYTES = 420;

const DELIVERIES = 200;
const WARMUP = 20;

type ReceiverHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Runs `act`, counting the bytes written to stdout (the function's log) instead of writing them. */
async function counted<T>(act: () => Promise<T>): Promise<{ result: T; bytes: number; cpuUs: number }> {
  const write = process.stdout.write.bind(process.stdout);
  let bytes = 0;
  const count = (chunk: string | Uint8Array): boolean => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  };
  process.stdout.write = count;
  const cpu = process.cpuUsage();
  try {
    const result = await act();
    const used = process.cpuUsage(cpu);
    return { result, bytes, cpuUs: used.user + used.system };
  } finally {
    process.stdout.write = write;
  }
}

const run = randomBytes(4).toString('hex');
const receiverSecrets = Object.fromEntries(
  providers.map((provider) => [provider.slug, provider.slug === 'qikchat' ? `cost:${randomBytes(12).toString('hex')}` : randomBytes(24).toString('hex')]),
);
const secrets: WorkloadSecrets = { receiver: (provider) => receiverSecrets[provider.slug] ?? '', baseline: randomBytes(24).toString('hex') };
const aws = await startLambdaAws(new Map(providers.map((provider) => [localSecretArn(provider.slug), secrets.receiver(provider)])));
// The worker's idempotency table (its records are written per event, as in the stack).
const dynamodb = await startEmbeddedDynamoDb();
try {
  // The default build, as `cdk deploy` ships it: bundles, memory sizes and Node options from the synthesised stack.
  const staged = await synthesizeFunctions('cost', {});
  const stagedFunction = (name: string) => {
    const found = staged.find((fn) => fn.name === name);
    if (!found) throw new Error(`cost: cdk synth staged no ${name} function`);
    return found;
  };
  const worker = stagedFunction('worker');
  const receiverMemorySize = Math.max(...providers.map((provider) => stagedFunction(provider.slug).memorySize));
  const workerMemorySize = worker.memorySize;
  Object.assign(process.env, functionEnvironment({ aws, queueUrl: aws.queueUrl, nodeOptions: worker.nodeOptions }));
  const receivers: { slug: string; cpuUs: number; logBytes: number }[] = [];
  for (const provider of providers) {
    const bundle = stagedFunction(provider.slug);
    process.env.PROVIDER_SECRET_ARN = localSecretArn(provider.slug);
    const { handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: ReceiverHandler };
    const deliveries = await providerDeliveries(provider, { count: DELIVERIES + WARMUP, run: `${run}-cost`, secrets, conversations: 50 });
    const cpu: number[] = [];
    const bytes: number[] = [];
    for (const [i, delivery] of deliveries.entries()) {
      const { result, cpuUs, bytes: written } = await counted(() => handler(httpApiEvent(provider.slug, delivery.body, delivery.headers), lambdaContext(`cost-${provider.slug}`)));
      if (result.statusCode !== 200) throw new Error(`cost: ${provider.slug} answered ${String(result.statusCode)}`);
      if (i < WARMUP) continue;
      cpu.push(cpuUs);
      bytes.push(written);
    }
    receivers.push({ slug: provider.slug, cpuUs: median(cpu), logBytes: median(bytes) });
  }

  Object.assign(process.env, { [IDEMPOTENCY_TABLE_VARIABLE]: dynamodb.tableName, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint });
  const { handler: work } = (await import(pathToFileURL(worker.file).href)) as { handler: WorkerHandler };
  const sqs = createSqsClient({ endpoint: aws.sqsEndpoint });
  const batchCpu: number[] = [];
  let workerBytes = 0;
  let events = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: aws.queueUrl, MaxNumberOfMessages: queueTopology.batchSize, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    const event: SQSEvent = { Records: Messages.map((message) => toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:chat-webhook-events.fifo', LOCAL_REGION)) };
    const { result, cpuUs, bytes } = await counted(() => work(event, lambdaContext('cost-worker')));
    if (result.batchItemFailures.length > 0) throw new Error('cost: the worker failed events');
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: aws.queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    if (events > 0 && Messages.length === queueTopology.batchSize) batchCpu.push(cpuUs);
    workerBytes += bytes;
    events += Messages.length;
  }

  // ------------------------------------------------------------------------------------------ the table
  const worst = receivers.reduce((a, b) => (b.cpuUs > a.cpuUs ? b : a));
  const receiverLogBytes = Math.max(...receivers.map((r) => r.logBytes));
  const workerLogBytesPerEvent = workerBytes / events;
  const batchCpuMs = median(batchCpu) / 1000;
  const batch = queueTopology.batchSize;
  // Lambda gives a function CPU in proportion to its memory: 1,769 MB is one vCPU.
  const cpuShare = (memoryMb: number) => Math.min(1, memoryMb / 1769);
  const billedMs = (cpuMs: number, memoryMb: number, waitMs: number) => Math.ceil(cpuMs / cpuShare(memoryMb) + waitMs);
  const gbSeconds = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);
  const perMillion = (perDelivery: number) => perDelivery * 1_000_000;

  const receiverRow = (memoryMb: number) => {
    const ms = billedMs(worst.cpuUs / 1000, memoryMb, SQS_SEND_LATENCY_MS);
    return { ms, compute: perMillion(gbSeconds(ms, memoryMb) * PRICES.lambdaArmPerGbSecond) };
  };
  const receiver = receiverRow(receiverMemorySize);
  // Two traffic shapes: busy (the worker gets full batches) and a trickle (every event alone in its batch).
  const workerCompute = (eventsPerBatch: number) =>
    perMillion((gbSeconds(billedMs((batchCpuMs * eventsPerBatch) / batch, workerMemorySize, 0), workerMemorySize) * PRICES.lambdaArmPerGbSecond) / eventsPerBatch);
  const logs = (eventsPerBatch: number) =>
    receiverLogBytes + LAMBDA_PLATFORM_LOG_BYTES + API_ACCESS_LOG_BYTES + workerLogBytesPerEvent + LAMBDA_PLATFORM_LOG_BYTES / eventsPerBatch;
  const rows: [string, string, number, number][] = [
    ['API Gateway HTTP API', '1 request', PRICES.apiGatewayHttpPerMillion, PRICES.apiGatewayHttpPerMillion],
    ['Receiver Lambda requests', '1 invocation', PRICES.lambdaPerMillionRequests, PRICES.lambdaPerMillionRequests],
    [
      `Receiver Lambda compute (${receiverMemorySize} MB arm64)`,
      `${receiver.ms} ms billed: ${formatNumber(worst.cpuUs / 1000, 2)} ms CPU measured (${worst.slug}, the costliest) ÷ ${formatNumber(cpuShare(receiverMemorySize), 2)} vCPU + ${SQS_SEND_LATENCY_MS} ms SendMessage`,
      receiver.compute,
      receiver.compute,
    ],
    [
      'SQS FIFO requests (each under 64 KB)',
      `1 SendMessage; ReceiveMessage and DeleteMessageBatch once per batch: ${1 + 2 / batch} busy, 3 trickle`,
      (1 + 2 / batch) * PRICES.sqsFifoPerMillionRequests,
      3 * PRICES.sqsFifoPerMillionRequests,
    ],
    ['Worker Lambda requests', `1 per batch: 1/${batch} busy, 1 trickle`, PRICES.lambdaPerMillionRequests / batch, PRICES.lambdaPerMillionRequests],
    [
      `Worker Lambda compute (${workerMemorySize} MB arm64)`,
      `${formatNumber(batchCpuMs, 2)} ms CPU measured per batch of ${batch} (the sample handlers), billed in whole ms per invocation`,
      workerCompute(batch),
      workerCompute(1),
    ],
    [
      'CloudWatch Logs ingestion',
      `${formatNumber(logs(batch))} / ${formatNumber(logs(1))} bytes: receiver ${formatNumber(receiverLogBytes)} (log line + EMF), worker ${formatNumber(workerLogBytesPerEvent)} per event, Lambda's platform lines (${LAMBDA_PLATFORM_LOG_BYTES} per invocation), the API access log line (${API_ACCESS_LOG_BYTES})`,
      perMillion((logs(batch) / 1e9) * PRICES.logsIngestionPerGb),
      perMillion((logs(1) / 1e9) * PRICES.logsIngestionPerGb),
    ],
  ];
  const busy = rows.reduce((sum, [, , dollars]) => sum + dollars, 0);
  const trickle = rows.reduce((sum, [, , , dollars]) => sum + dollars, 0);
  process.stdout.write(
    `${table(
      ['item', 'per delivery', '$ per million, busy', '$ per million, trickle'],
      [
        ...rows.map(([item, basis, b, t]) => [item, basis, formatNumber(b, 3), formatNumber(t, 3)]),
        ['**total**', '', `**${formatNumber(busy, 2)}**`, `**${formatNumber(trickle, 2)}**`],
      ],
    )}\n\n`,
  );
  const total = trickle;
  // The cold answer: the worst receiver's import CPU and first request (last `npm run bench`), stretched by the share.
  const results = JSON.parse(await readFile(join(repositoryRoot, 'bench/results.json'), 'utf8')) as BenchResults;
  const cold = Object.values(results.coldInit.bySdk.bundled.receivers).reduce((a, b) => (b.importCpuMs + b.firstRequestMs > a.importCpuMs + a.firstRequestMs ? b : a));
  process.stdout.write(
    `${table(
      ['receiver memory', 'vCPU share', 'billed ms per delivery', 'compute $ per million', 'total $ per million (trickle)', 'cold answer, CPU part (estimate)'],
      [256, 512, 1024, 1769].map((memoryMb) => {
        const row = receiverRow(memoryMb);
        return [
          `${memoryMb} MB`,
          formatNumber(cpuShare(memoryMb), 2),
          String(row.ms),
          formatNumber(row.compute, 3),
          formatNumber(total - receiver.compute + row.compute, 2),
          `${formatNumber((cold.importCpuMs + cold.firstRequestMs) / cpuShare(memoryMb))} ms`,
        ];
      }),
    )}\n\n`,
  );
  process.stdout.write(`${JSON.stringify({ receivers, workerLogBytesPerEvent, batchCpuMs, events }, null, 2)}\n`);
} finally {
  await aws.stop();
  await dynamodb.stop();
}
