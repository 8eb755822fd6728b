import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import { createLogger } from '../../lib/observability/powertools.js';
import { localQueueTopology } from '../../lib/queue/topology.js';
import { createAwsReceiverHandler } from '../../lib/receiver/aws.js';
import { createReceiverHandler } from '../../lib/receiver/handler.js';
import { GatewayHttpError, type AnswerReason } from '../../lib/receiver/http-errors.js';
import { createSqsClient } from '../../lib/queue/sqs-client.js';
import { captureStdout } from '../support/capture-stdout.js';
import { httpApiEvent } from '../support/http-api-event.js';
import { provider, signed } from '../support/local-runtime.js';

type LogLine = Record<string, unknown> & { level: string; message: string };
const logLines = (lines: string[]) => lines.filter((line) => line.includes('"level"')).map((line) => JSON.parse(line) as LogLine);

describe('the answer to each reason', () => {
  // The documented answers (README "Guarantees" and "Bad input"): one status and one fixed body per reason.
  it.each<[AnswerReason, number, string]>([
    ['missing_signature', 401, 'Unauthorized'],
    ['malformed_signature', 401, 'Unauthorized'],
    ['signature_mismatch', 401, 'Unauthorized'],
    ['not_found', 404, 'Not Found'],
    ['method_not_allowed', 405, 'Method Not Allowed'],
    ['payload_too_large', 413, 'Payload Too Large'],
    ['no_secret_configured', 500, 'Internal Server Error'],
    ['secret_unavailable', 500, 'Internal Server Error'],
    ['queue_not_configured', 500, 'Internal Server Error'],
    ['internal_error', 500, 'Internal Server Error'],
    ['enqueue_failed', 503, 'Service Unavailable'],
  ])('%s is answered %i %s, and keeps its cause', (reason, status, message) => {
    // Prepare
    const cause = new Error('what went wrong');

    // Act
    const error = new GatewayHttpError(reason, { cause });

    // Assess
    expect(error).toMatchObject({ name: 'GatewayHttpError', reason, statusCode: status, message, cause });
  });
});

describe('what a rejected delivery leaves in the log', () => {
  afterEach(() => vi.unstubAllEnvs());

  async function forged(logLevel: string) {
    const handler = createReceiverHandler({
      provider: provider('chatzuri'),
      logger: createLogger({ logLevel }),
      secrets: { getSecrets: async () => ({ secrets: ['test-secret-chatzuri'] }) },
      queue: { sqs: createSqsClient({ endpoint: 'http://127.0.0.1:9' }), queueUrl: 'http://127.0.0.1:9/000000000000/q.fifo', maximumMessageSizeBytes: localQueueTopology.maximumMessageSizeBytes },
      verification: 'enforced',
    });
    const request = signed('chatzuri', '{"forged":true}', 'not-the-secret');
    let status: number | undefined;
    const lines = await captureStdout(
      async () => {
        ({ statusCode: status } = await handler(httpApiEvent({ path: '/webhooks/chatzuri', body: request.body, headers: request.headers }), localLambdaContext('r', 5_000)));
      },
      { stderr: true },
    );
    return { status, lines: logLines(lines) };
  }

  it('is one WARN line with the reason and what went wrong, without a stack', async () => {
    // Act
    const { status, lines } = await forged('INFO');

    // Assess
    expect(status).toBe(401);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      message: 'Delivery not accepted',
      status: 401,
      reason: 'signature_mismatch',
      detail: 'The "x-chatzuri-signature" header matches none of the configured secrets',
    });
    expect(JSON.stringify(lines)).not.toMatch(/stack|\.ts:\d+|at .*\(/);
  });

  it('shows the error with its stacks and causes at DEBUG', async () => {
    // Act
    const { lines } = await forged('DEBUG');

    // Assess
    const debug = lines.find((line) => line.level === 'DEBUG' && line.message === 'Delivery not accepted: the error');
    expect(debug?.error).toMatchObject({ name: 'GatewayHttpError', stack: expect.any(String) as unknown, cause: { name: 'SignatureMismatchError' } });
  });

  // Regression: "no secret" was modelled three ways, and the receiver without a secret ARN logged the reason
  // `secret_unavailable` (its own `secret_not_configured` was lost inside another error).
  it('names the missing secret setting when a receiver in AWS has none', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const handler = createAwsReceiverHandler(provider('qikchat'), { QUEUE_URL: 'http://127.0.0.1:9/000000000000/q.fifo' });
    const request = signed('qikchat', '{}');

    // Act
    let answer: Awaited<ReturnType<typeof handler>> | undefined;
    const lines = logLines(
      await captureStdout(
        async () => {
          answer = await handler(httpApiEvent({ path: '/webhooks/qikchat', body: request.body, headers: request.headers }), localLambdaContext('r', 5_000));
        },
        { stderr: true },
      ),
    );

    // Assess
    expect(answer).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
    const rejected = lines.filter((line) => line.message === 'Delivery not accepted');
    expect(rejected).toEqual([
      expect.objectContaining({ level: 'ERROR', status: 500, reason: 'no_secret_configured', detail: expect.stringContaining('PROVIDER_SECRET_ARN is not set') as unknown }),
    ]);
  });
});
