/**
 * The traces of a bundled receiver, end to end: the bundle CDK ships runs in a fresh Node.js process with the
 * environment of a Lambda function with active tracing (the benchmarks'), receives one signed delivery and
 * enqueues it into the embedded SQS server.
 * - Default build (no X-Ray SDK): the AWS SDK's recursion-detection middleware carries the invocation's trace id
 *   (`_X_AMZN_TRACE_ID`) on `SendMessage` as `X-Amzn-Trace-Id`, so the message belongs to the receiver's trace.
 * - `detailedTracing` build (Powertools Tracer): the handler subsegment on the trace of `_X_AMZN_TRACE_ID`, and the
 *   Secrets Manager and SQS calls under it, sent over UDP to a stand-in X-Ray daemon.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionEnvironment, lambdaTraceHeader, localSecretArn, startLambdaAws, type LambdaAws } from '../../dev/fakes/lambda-aws.js';
import { projectRoot } from '../../infra/constructs/GatewayFunction.js';
import { startFaultySqs, type FaultyEndpoint } from '../support/faulty-sqs.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { sampleBytes, signatureFixture, signedHeaders } from '../support/provider-fixtures.js';
import { stagedBundle } from '../support/staged-bundle.js';

/** The functions' Node.js (the `node` devDependency), as the benchmarks run bundles. */
const nodeBinary = join(projectRoot, 'node_modules', '.bin', 'node');

/**
 * Invokes the bundle's handler once, the way the Lambda runtime does: the promise chain that calls the handler
 * is set up BEFORE the function's module is imported, so it does not descend from the import in which the
 * X-Ray SDK entered its context. A context that only followed the import's own async chain would be missing
 * in the handler. The answer goes to a file: stdout carries the function's log lines.
 */
const invokeScript = `
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile, answerFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const deadline = Date.now() + 10_000;
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: '1024',
  awsRequestId: 'trace-test-request',
  logGroupName: '/aws/lambda/' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  logStreamName: 'trace-test',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done() {},
  fail() {},
  succeed() {},
};

let start;
const ready = new Promise((resolve) => { start = resolve; });
const invocation = ready.then((module) => module.handler(event, context));
start(await import(pathToFileURL(bundle).href));
writeFileSync(answerFile, JSON.stringify(await invocation));
`;

/** One segment document as the X-Ray SDK serialises it (the fields this test reads). */
interface TraceDocument {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly trace_id?: string;
  readonly parent_id?: string;
  readonly namespace?: string;
  readonly aws?: { readonly operation?: string };
  readonly subsegments?: readonly TraceDocument[];
}

/** A (sub)segment found in a datagram, with its trace and parent whether it was sent on its own or nested. */
interface TracedSegment {
  readonly document: TraceDocument;
  readonly traceId: string | undefined;
  readonly parentId: string | undefined;
}

/** The segment document of one daemon datagram: `{"format":"json","version":1}\n<segment JSON>`. */
function parseDatagram(datagram: string): TraceDocument {
  const newline = datagram.indexOf('\n');
  expect(JSON.parse(datagram.slice(0, newline))).toEqual({ format: 'json', version: 1 });
  return JSON.parse(datagram.slice(newline + 1)) as TraceDocument;
}

/**
 * Every (sub)segment of the datagrams, flattened. The SDK streams subsegments (in Lambda as soon as each
 * closes), so a child arrives either nested in its parent's `subsegments` or as a document of its own with
 * `parent_id` and `trace_id`: both end up here with the same parent and trace.
 */
function tracedSegments(datagrams: readonly string[]): TracedSegment[] {
  const found: TracedSegment[] = [];
  const walk = (document: TraceDocument, traceId: string | undefined, parentId: string | undefined) => {
    found.push({ document, traceId, parentId });
    for (const child of document.subsegments ?? []) walk(child, traceId, document.id);
  };
  for (const datagram of datagrams) {
    const document = parseDatagram(datagram);
    walk(document, document.trace_id, document.parent_id);
  }
  return found;
}

// The handler setting of every function of the stack, which the benchmarks' tracing environment sets.
const isHandler = (segment: TracedSegment) => segment.document.name === '## index.handler';
const isSqsSend = (segment: TracedSegment) =>
  segment.document.name === 'SQS' && segment.document.namespace === 'aws' && segment.document.aws?.operation === 'SendMessage';
const isSecretFetch = (segment: TracedSegment) =>
  segment.document.name === 'SecretsManager' && segment.document.namespace === 'aws' && segment.document.aws?.operation === 'GetSecretValue';

/** Waits until `child` exits (bounded: a hung child fails the test instead of hanging it). */
function exited(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(() => reject(new Error('the function process did not finish in time')), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('traces of a bundled receiver (Lambda with active tracing)', () => {
  const fixture = signatureFixture('qikchat');
  let workdir: string;
  let aws: LambdaAws;
  let recorder: FaultyEndpoint;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // The folder is git-ignored, so a fresh clone does not have it yet.
    await mkdir(join(projectRoot, '.bench-build'), { recursive: true });
    workdir = await mkdtemp(join(projectRoot, '.bench-build', 'tracing-'));
    // The local AWS of the benchmarks, with its stand-in X-Ray daemon; SQS requests pass a recorder on their way.
    aws = await startLambdaAws(new Map([[localSecretArn('qikchat'), fixture.secrets.current]]));
    recorder = await startFaultySqs(aws.sqsEndpoint);
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited(child, 5_000).catch(() => undefined);
      }
    }
    await recorder.close();
    await aws.stop();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  /** Stages the qikchat receiver with `cdk synth` into `<workdir>/<name>` and invokes it once in a child process under `traceHeader`. */
  async function invokeOnce(name: string, detailedTracing: boolean, traceHeader: string) {
    const functionDir = join(workdir, name);
    const bundle = stagedBundle('functions/qikchat.ts', join(functionDir, 'cdk.out'), { bundleAwsSdk: true, detailedTracing });
    const event = httpApiEvent({
      path: '/webhooks/qikchat',
      body: Buffer.from(sampleBytes('qikchat', 'message-text')),
      headers: { 'content-type': 'application/json', ...signedHeaders(fixture, 'message-text', 'current') },
    });
    const eventFile = join(functionDir, 'event.json');
    const answerFile = join(functionDir, 'answer.json');
    const scriptFile = join(functionDir, 'invoke.mjs');
    await writeFile(eventFile, JSON.stringify(event));
    await writeFile(scriptFile, invokeScript);
    const env = {
      // What Lambda sets for a function with active tracing on nodejs24.x. Its AWS_XRAY_CONTEXT_MISSING=LOG_ERROR
      // logs rather than throws: a missing context shows up in the output, which the test reads.
      ...functionEnvironment({
        aws: { ...aws, sqsEndpoint: recorder.endpoint },
        // The SDK sends to the queue URL's host (`useQueueUrlAsEndpoint`): the recorder's, the same queue behind it.
        queueUrl: new URL(new URL(aws.queueUrl).pathname, recorder.endpoint).href,
        secretArn: localSecretArn('qikchat'),
        nodeOptions: bundle.nodeOptions,
        tracing: { daemonAddress: aws.xrayDaemonAddress, taskRoot: functionDir, functionName: 'qikchat-receiver' },
      }),
      // Set by Lambda for each invocation; the child invokes once.
      _X_AMZN_TRACE_ID: traceHeader,
    };
    let output = '';
    const child = spawn(nodeBinary, [scriptFile, bundle.file, eventFile, answerFile], { cwd: functionDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exit = await exited(child, 15_000);
    expect(exit, output).toEqual({ code: 0, signal: null });
    const answer = JSON.parse(await readFile(answerFile, 'utf8')) as APIGatewayProxyStructuredResultV2;
    return { bundle, output, answer };
  }

  it('default build: no X-Ray SDK, and SendMessage carries the invocation trace id as X-Amzn-Trace-Id', async () => {
    // Prepare
    const traceHeader = lambdaTraceHeader();
    const segmentsBefore = aws.segmentsReceived();
    const requestsBefore = recorder.headers.length;

    // Act
    const { bundle, output, answer } = await invokeOnce('default', false, traceHeader);

    // Assess
    expect(answer.statusCode, output).toBe(200);
    const { sources } = JSON.parse(await readFile(`${bundle.file}.map`, 'utf8')) as { sources: string[] };
    expect(sources.filter((file) => file.includes('aws-xray-sdk-core'))).toEqual([]);
    const sends = recorder.headers.slice(requestsBefore).filter((headers) => headers['x-amz-target'] === 'AmazonSQS.SendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.['x-amzn-trace-id']).toBe(traceHeader);
    // Lambda records the invocation's segments itself; the function sends none of its own.
    await sleep(200);
    expect(aws.segmentsReceived()).toBe(segmentsBefore);
  });

  it('detailedTracing build: the handler subsegment on the Lambda trace, with the secret fetch and the SQS SendMessage call nested under it', async () => {
    // Prepare
    const traceHeader = lambdaTraceHeader();
    const [, root, facadeId] = /^Root=([^;]+);Parent=([^;]+);/.exec(traceHeader) ?? [];
    const segmentsBefore = aws.segmentsReceived();

    // Act
    const { output, answer } = await invokeOnce('detailed', true, traceHeader);
    // The SDK sends each document from a socket of its own as the subsegment closes; wait (bounded) for all three.
    const received = () => {
      const last = aws.lastSegments();
      return tracedSegments(last.slice(Math.max(0, last.length - (aws.segmentsReceived() - segmentsBefore))));
    };
    let segments = received();
    for (let waited = 0; waited < 5_000 && !(segments.some(isHandler) && segments.some(isSqsSend) && segments.some(isSecretFetch)); waited += 50) {
      await sleep(50);
      segments = received();
    }

    // Assess
    expect(answer.statusCode, output).toBe(200);
    expect(output).not.toContain('Failed to get the current sub/segment');
    expect(output).not.toContain('Missing AWS Lambda trace data');
    // The daemon keeps only its last few datagrams: every one received must be among them, or a duplicate could hide.
    expect(aws.lastSegments()).toHaveLength(aws.segmentsReceived());

    const handlers = segments.filter(isHandler);
    expect(handlers, JSON.stringify(segments.map((s) => s.document.name))).toHaveLength(1);
    const [handler] = handlers;
    expect(handler?.traceId).toBe(root);
    // Under the facade segment Lambda made for the invocation (the `Parent` of the trace header).
    expect(handler?.parentId).toBe(facadeId);

    const sends = segments.filter(isSqsSend);
    expect(sends, JSON.stringify(segments.map((s) => s.document.name))).toHaveLength(1);
    expect(sends[0]?.parentId).toBe(handler?.document.id);
    expect(sends[0]?.traceId).toBe(root);

    // The first request of a cold start reads the provider's secret: that call is traced too.
    const fetches = segments.filter(isSecretFetch);
    expect(fetches, JSON.stringify(segments.map((s) => s.document.name))).toHaveLength(1);
    expect(fetches[0]?.parentId).toBe(handler?.document.id);
  });
});
