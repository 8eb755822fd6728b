/**
 * Child process of `npm run bench:worker`: one worker bundle, loaded in a process of its own with the environment
 * the stack and Lambda give it (handed over whole by the parent), invoked with the batches the parent sends. It
 * answers each with the CPU time this process spent on it; the log lines are counted, not written, as in
 * `npm run cost`.
 *
 * Started with BENCH_WORKER = {"file": "<the staged index.mjs>", "timeoutMs": <the function's timeout>}.
 */
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaTraceHeader } from '../../dev/fakes/lambda-aws.js';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { serveBenchCommands } from '../lib/child.js';

type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const { file, timeoutMs } = JSON.parse(process.env.BENCH_WORKER ?? '{}') as { file: string; timeoutMs: number };
const { handler } = (await import(pathToFileURL(file).href)) as { handler: WorkerHandler };
const traced = process.env.AWS_XRAY_DAEMON_ADDRESS !== undefined;

serveBenchCommands(
  {
    invoke: async (event: SQSEvent) => {
      // Lambda's work before the handler: a new trace header, the context.
      if (traced) process.env._X_AMZN_TRACE_ID = lambdaTraceHeader();
      const context = localLambdaContext('bench-worker', timeoutMs);
      const out = process.stdout.write.bind(process.stdout);
      const err = process.stderr.write.bind(process.stderr);
      let logBytes = 0;
      const count = (chunk: string | Uint8Array): boolean => {
        logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        return true;
      };
      process.stdout.write = count;
      process.stderr.write = count;
      const cpu = process.cpuUsage();
      try {
        const { batchItemFailures } = await handler(event, context);
        const used = process.cpuUsage(cpu);
        return { cpuMs: (used.user + used.system) / 1000, logBytes, failures: batchItemFailures.length };
      } finally {
        process.stdout.write = out;
        process.stderr.write = err;
      }
    },
  },
  () => Promise.resolve(),
);
