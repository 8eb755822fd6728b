/**
 * Metrics reach CloudWatch at every `logLevel`: the functions' EMF lines pass Lambda's application log-level filter,
 * which the stack sets from the same setting. Checked on the synthesised `LoggingConfig` and on what the bundles
 * `cdk synth` builds write when they run under that filter.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatWebhookGatewayStack } from '../../infra/ChatWebhookGatewayStack.js';
import type { LogLevel } from '../../infra/config.js';
import { MetricNames } from '../../lib/observability/names.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { idOf, synthGateway } from './synth.js';

const logLevels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'];

/** Lambda's application log levels, least severe first. */
const lambdaLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type LambdaLevel = (typeof lambdaLevels)[number];

/**
 * Whether Lambda's application log-level filter keeps a line the function wrote, as documented (Lambda developer
 * guide, "Log-level filtering"): a JSON object's `level` counts when it is a valid level and the line has an RFC 3339
 * `timestamp`; any other line counts as INFO.
 */
function lambdaKeeps(line: string, filter: LambdaLevel): boolean {
  let level: LambdaLevel = 'INFO';
  try {
    const parsed = JSON.parse(line) as { level?: unknown; timestamp?: unknown };
    const named = typeof parsed.level === 'string' ? lambdaLevels.find((candidate) => candidate === (parsed.level as string).toUpperCase()) : undefined;
    const rfc3339 = typeof parsed.timestamp === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(parsed.timestamp);
    if (named && rfc3339) level = named;
  } catch {
    // Not JSON: INFO.
  }
  return lambdaLevels.indexOf(level) >= lambdaLevels.indexOf(filter);
}

interface FunctionResource {
  readonly Properties: {
    readonly Code: { readonly S3Key: string };
    readonly LoggingConfig: { readonly LogFormat: string; readonly ApplicationLogLevel: LambdaLevel; readonly SystemLogLevel: string };
    readonly Environment: { readonly Variables: Record<string, unknown> };
  };
}

/**
 * Runs a staged bundle's handler once in a fresh Node process, as Lambda would under `loggingConfig`, and returns
 * every line it wrote (stdout and stderr). References the template resolves at deploy time get a placeholder.
 */
function invokeBundle(bundle: string, fn: FunctionResource, event: unknown): string[] {
  const variables = Object.fromEntries(
    Object.entries(fn.Properties.Environment.Variables).map(([name, value]) => [name, typeof value === 'string' ? value : `placeholder-${name.toLowerCase()}`]),
  );
  const script = `const { handler } = await import(process.argv[1]);
    const context = { functionName: 'probe', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:probe',
      memoryLimitInMB: '1024', awsRequestId: 'request-1', logGroupName: 'probe', logStreamName: 'probe', getRemainingTimeInMillis: () => 5000 };
    await handler(JSON.parse(process.argv[2]), context);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, bundle, JSON.stringify(event)], {
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: process.env.PATH,
      ...variables,
      // What Lambda sets: the filter's level (LoggingConfig), JSON logs, an on-demand environment.
      AWS_LAMBDA_LOG_LEVEL: fn.Properties.LoggingConfig.ApplicationLogLevel,
      AWS_LAMBDA_LOG_FORMAT: fn.Properties.LoggingConfig.LogFormat,
      AWS_LAMBDA_FUNCTION_NAME: 'probe',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'none',
      AWS_SECRET_ACCESS_KEY: 'none',
    },
  });
  expect(result.error, result.stderr).toBeUndefined();
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
}

/** The metric names of the EMF documents among `lines`. */
function metricNames(lines: readonly string[]): string[] {
  return lines
    .filter((line) => line.includes('"_aws"'))
    .flatMap((line) => (JSON.parse(line) as { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } })._aws.CloudWatchMetrics.flatMap((set) => set.Metrics.map((metric) => metric.Name)));
}

describe('the default log level', () => {
  /** Each function's Lambda filter level and POWERTOOLS_LOG_LEVEL, synthesised with `context`. */
  const levelsOf = (context: Record<string, unknown>) =>
    Object.values(synthGateway({ bundle: false, context }).template.findResources('AWS::Lambda::Function') as Record<string, FunctionResource>).map((fn) => [
      fn.Properties.LoggingConfig.ApplicationLogLevel,
      fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL,
    ]);

  it('is WARN: no function writes a line per accepted delivery or processed event; -c logLevel=INFO brings them back', () => {
    // Act
    const byDefault = levelsOf({});
    const atInfo = levelsOf({ logLevel: 'INFO' });

    // Assess: every function (receivers and worker), the filter and Powertools alike
    expect(byDefault.length).toBeGreaterThan(1);
    expect(byDefault).toEqual(byDefault.map(() => ['WARN', 'WARN']));
    expect(atInfo).toEqual(atInfo.map(() => ['INFO', 'INFO']));
  }, 60_000);
});

describe('metrics at every log level', () => {
  let bundled: { stack: ChatWebhookGatewayStack; template: Template; directory: string };

  beforeAll(() => {
    // Act: one bundled synthesis; the bundles are the same at every level, only the configuration differs
    const { stack, template } = synthGateway();
    const directory = stack.node.root instanceof App ? stack.node.root.synth().directory : '';
    bundled = { stack, template, directory };
  }, 180_000);

  /** The staged bundle of a function of the bundled stack. */
  const bundleOf = (logicalId: string) => {
    const fn = bundled.template.findResources('AWS::Lambda::Function')[logicalId] as FunctionResource;
    return join(bundled.directory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
  };

  it.each(logLevels)('logLevel=%s: every function filters at that level, and its metric lines pass the filter', (logLevel) => {
    // Prepare: the configuration synthesised at this level
    const { stack, template } = synthGateway({ bundle: false, context: { logLevel } });
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, FunctionResource>;
    const expected: LambdaLevel = logLevel === 'CRITICAL' ? 'FATAL' : logLevel;
    const receiverId = idOf(stack, stack.receivers.get('qikchat')!.function);
    const workerId = idOf(stack, stack.worker.function);

    // Act: a delivery to a receiver (no secret can be read here: it answers 500), an empty batch to the worker
    const receiverLines = invokeBundle(bundleOf(idOf(bundled.stack, bundled.stack.receivers.get('qikchat')!.function)), functions[receiverId]!, httpApiEvent({ path: '/webhooks/qikchat', body: '{}' }));
    const workerLines = invokeBundle(bundleOf(idOf(bundled.stack, bundled.stack.worker.function)), functions[workerId]!, { Records: [] });

    // Assess: the synthesised LoggingConfig
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: expected, SystemLogLevel: 'WARN' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe(logLevel);
    }
    // Assess: what Lambda keeps of what the bundles wrote holds their metrics
    expect(metricNames(receiverLines.filter((line) => lambdaKeeps(line, expected)))).toEqual(expect.arrayContaining(['ColdStart', MetricNames.received, MetricNames.answerTime]));
    expect(metricNames(workerLines.filter((line) => lambdaKeeps(line, expected)))).toContain('ColdStart');
  });
});
