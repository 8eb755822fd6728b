import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { createJsonLineLogger, logLevelFromEnvironment } from '../../lib/observability/json-logger.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { REDACTED } from '../../lib/observability/redact.js';
import { captureStdout } from '../support/capture-stdout.js';

type Line = Record<string, unknown>;
const parse = (lines: readonly string[]): Line[] => lines.map((line) => JSON.parse(line) as Line);

/** What may differ between two loggers writing the same line a moment apart (Powertools' cold start is per process). */
function comparable(line: Line | undefined): Line {
  const rest: Line = { ...line, cold_start: typeof line?.cold_start };
  delete rest.timestamp;
  delete rest.sampling_rate;
  return rest;
}

describe('the receivers’ JSON line logger', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('writes the line Powertools Logger writes: the same keys, values and order', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1');
    const context = localLambdaContext('qikchat-receiver', 5_000);
    const ours = createJsonLineLogger().createChild({ persistentKeys: { provider: 'qikchat' } });
    const powertools = createLogger().createChild({ persistentKeys: { provider: 'qikchat' } });

    // Act: a warm invocation's line (Powertools' cold start is once per process)
    const lines = parse(
      await captureStdout(async () => {
        for (const logger of [ours, powertools]) {
          logger.addContext(context);
          logger.addContext(context);
          logger.setCorrelationId('evt-1');
          logger.info('Delivery accepted', { eventId: 'evt-1', durationMs: 1.5 });
        }
      }),
    );

    // Assess
    expect(lines).toHaveLength(2);
    const [mine, theirs] = lines.map(comparable);
    expect(Object.keys(mine ?? {})).toEqual(Object.keys(theirs ?? {}));
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({ level: 'INFO', message: 'Delivery accepted', function_request_id: context.awsRequestId, provider: 'qikchat', correlation_id: 'evt-1', eventId: 'evt-1', durationMs: 1.5, cold_start: 'undefined' });
  });

  it('hides sensitive keys and prints an error with its cause as Powertools does', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const logger = createJsonLineLogger();
    const error = new Error('outer', { cause: new TypeError('inner') });

    // Act
    const [line] = parse(await captureStdout(async () => logger.debug('the error', { error, headers: { authorization: 'Basic dXNlcjpwYXNz', 'content-type': 'text/plain' } })));

    // Assess
    expect(line?.headers).toEqual({ authorization: REDACTED, 'content-type': 'text/plain' });
    expect(line?.error).toMatchObject({ name: 'Error', message: 'outer', cause: { name: 'TypeError', message: 'inner' } });
    expect(line?.error).toHaveProperty('stack');
    expect((line?.error as Line | undefined)?.location).toMatch(/:\d+$/);
  });

  it('drops the correlation id when the invocation is reset, and names the function on the cold start only', async () => {
    // Prepare
    const logger = createJsonLineLogger();
    const context = localLambdaContext('r', 5_000);

    // Act
    const lines = parse(
      await captureStdout(async () => {
        logger.addContext(context);
        logger.setCorrelationId('evt-1');
        logger.info('first');
        logger.resetKeys();
        logger.addContext(context);
        logger.info('second');
      }),
    );

    // Assess
    expect(lines.map((line) => [line.cold_start, line.function_name, line.correlation_id])).toEqual([
      [true, 'r', 'evt-1'],
      [undefined, undefined, undefined],
    ]);
    expect(lines[1]).toHaveProperty('function_request_id', context.awsRequestId);
  });

  it('follows Lambda’s log level first, then Powertools’, then INFO', async () => {
    // Prepare
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'WARN');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const logger = createJsonLineLogger();

    // Act
    const lines = await captureStdout(
      async () => {
        logger.info('not written');
        logger.warn('written');
      },
      { stderr: true },
    );

    // Assess
    expect(parse(lines).map((line) => line.message)).toEqual(['written']);
    expect(logLevelFromEnvironment({ POWERTOOLS_LOG_LEVEL: 'error' })).toBe(logLevelFromEnvironment({ LOG_LEVEL: 'ERROR' }));
    expect(logLevelFromEnvironment({})).toBe(logLevelFromEnvironment({ POWERTOOLS_LOG_LEVEL: 'INFO' }));
  });
});
