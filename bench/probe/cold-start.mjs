/**
 * One cold start, in a fresh Node process: imports a bundle (what Lambda's init phase does) and, when
 * BENCH_EVENT holds an API Gateway event, invokes its handler once (the first request of a cold start).
 * Plain JavaScript run by plain `node`, so nothing but the bundle is loaded before the clock starts.
 * With BENCH_TRACE_ID, it puts that trace header in `_X_AMZN_TRACE_ID` before the call, as Lambda does for each
 * invocation of a function with active tracing (not at init), and lets the segments leave before it exits.
 *
 *   node bench/probe/cold-start.mjs <bundle.mjs>        result: one JSON object written to file descriptor 3
 *
 * With BENCH_NETWORK_CHECK=1 (and `--import ./no-network.mjs`) it waits a moment after the import and reports
 * any network use the import started instead of timing a request.
 */
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const startedMs = performance.now();
const cpuBefore = process.cpuUsage();
const module = await import(pathToFileURL(process.argv[2]).href);
const importMs = performance.now() - startedMs;
const cpu = process.cpuUsage(cpuBefore);
const result = { nodeStartMs: startedMs, importMs, importCpuMs: (cpu.user + cpu.system) / 1000, handler: typeof module.handler };

if (process.env.BENCH_NETWORK_CHECK === '1') {
  // Work an import started without awaiting it (a promise, a timer) shows up within this.
  await sleep(300);
  result.networkAttempts = globalThis.__benchNetworkAttempts ?? ['the no-network guard was not loaded'];
} else if (process.env.BENCH_EVENT) {
  const event = JSON.parse(process.env.BENCH_EVENT);
  const requestId = `cold-${process.pid}`;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'bench-cold-start',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-cold-start',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/bench-cold-start',
    logStreamName: requestId,
    getRemainingTimeInMillis: () => 5_000,
    done() {},
    fail() {},
    succeed() {},
  };
  if (process.env.BENCH_TRACE_ID) process.env._X_AMZN_TRACE_ID = process.env.BENCH_TRACE_ID;
  const invokedMs = performance.now();
  const response = await module.handler(event, context);
  result.firstRequestMs = performance.now() - invokedMs;
  result.statusCode = response?.statusCode;
  // The X-Ray SDK sends each subsegment from a socket of its own a few ticks after it closes; in Lambda the
  // runtime's answer to the invocation takes longer than that. Not timed.
  if (process.env.AWS_XRAY_DAEMON_ADDRESS) await sleep(20);
}

writeSync(3, JSON.stringify(result));
// Keep-alive sockets and SDK timers must not hold the process: the measurement is done.
process.exit(0);
