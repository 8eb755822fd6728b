/**
 * What `npm start` prints: one human line per delivery and processed event in a terminal, the functions'
 * JSON lines otherwise, and a line when an event is dead-lettered.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalLog, formatHumanLine, localLogFormat } from '../../../dev/local/log.js';
import { signDelivery } from '../../../dev/providers.js';
import { LocalSettingError } from '../../../dev/local/settings.js';
import { eventLogKeys } from '../../../lib/observability/event-log-keys.js';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { localQueueTopology } from '../../../lib/queue/topology.js';
import { messageGroupId, serialiseEvent } from '../../../lib/queue/enqueue.js';
import { closedPort } from '../../support/faulty-sqs.js';
import { localRetryPolicy, type RetryPolicy } from '../../../lib/parking/retry-policy.js';
import { captureStdout } from '../../support/capture-stdout.js';
import { eventually, post, provider, signedSample, startTestRuntime } from '../../support/local-runtime.js';

const ROOT = new URL('../../../', import.meta.url);
// A failing event is run twice, 1 s apart, then parked.
const quickRetries: RetryPolicy = { ...localRetryPolicy, attempts: 2 };
const HUMAN_LINE = /^\d\d:\d\d:\d\d\.\d{3} {2}\S/;

describe('localLogFormat', () => {
  it.each([
    [{}, true, 'human'],
    [{}, false, 'json'],
    [{ LOG_FORMAT: '' }, false, 'json'],
    [{ LOG_FORMAT: 'json' }, true, 'json'],
    [{ LOG_FORMAT: 'human' }, false, 'human'],
  ] as const)('reads %o with a terminal: %s as %s', (env, terminal, format) => {
    // Act & Assess
    expect(localLogFormat(env, terminal)).toBe(format);
  });

  it('refuses another LOG_FORMAT with one line naming the choices', () => {
    // Act & Assess
    expect(() => localLogFormat({ LOG_FORMAT: 'pretty' }, true)).toThrow(new LocalSettingError('LOG_FORMAT must be "json" or "human", not "pretty"'));
  });
});

describe('formatHumanLine', () => {
  it('writes time, provider, type, conversation, outcome and ms in columns', () => {
    // Act
    const line = formatHumanLine({
      time: new Date('2026-11-29T13:05:01.123Z'),
      provider: 'qikchat',
      type: 'message.received',
      conversation: '6281234567890',
      outcome: 'accepted 200',
      ms: 14.4,
    });

    // Assess
    expect(line).toBe('13:05:01.123  qikchat             message.received            conv 6281234567890        accepted 200    14 ms');
  });

  it('leaves out what is unknown', () => {
    // Act
    const line = formatHumanLine({ time: new Date('2026-11-29T13:05:01.123Z'), outcome: 'rejected 404: POST /x' });

    // Assess
    expect(line).toBe(`13:05:01.123  ${'-'.padEnd(18)}  ${'-'.padEnd(26)}  ${'-'.padEnd(24)}  rejected 404: POST /x`);
  });
});

describe('the local runtime in human format', () => {
  it('prints one line per delivery (accepted or rejected) and per processed event, one for a type without a handler, and nothing else for them', async () => {
    // Prepare
    const lines: string[] = [];
    const runtime = await startTestRuntime({ logFormat: 'human', logLevel: 'INFO', writeLine: (line) => lines.push(line) });
    try {
      const delivery = await signedSample('qikchat');
      const forged = { ...delivery, headers: { ...delivery.headers, ...signDelivery(provider('qikchat'), delivery.body, 'someone:else') } };

      // Act
      await post(runtime, delivery);
      await post(runtime, forged);
      await fetch(`${runtime.url}/webhooks/nobody`, { method: 'POST', body: '{}' });
      await eventually(() => lines.some((line) => line.includes('processed')));

      // Assess
      const conversation = eventLogKeys(delivery.expected).conversation ?? '';
      expect(lines.every((line) => HUMAN_LINE.test(line))).toBe(true);
      expect(lines).toHaveLength(5);
      expect(lines).toEqual(
        expect.arrayContaining([
          // Once per type without a handler: which type, and where one goes.
          expect.stringMatching(/ {2}- +message\.received +- +no handler registered: its events are only logged at DEBUG \(add one in lib\/handlers\/registry\.ts\)$/),
          expect.stringMatching(new RegExp(`  qikchat +${delivery.expected.type} +conv ${conversation} +accepted 200 +\\d+ ms$`)),
          expect.stringMatching(new RegExp(`  qikchat +${delivery.expected.type} +conv ${conversation} +processed +\\d+ ms$`)),
          expect.stringMatching(/ {2}qikchat +- +- +rejected 401 signature_mismatch +\d+ ms$/),
          expect.stringMatching(/rejected 404: POST \/webhooks\/nobody$/),
        ]),
      );
    } finally {
      await runtime.stop();
    }
  });

  it('prints a line for an event acknowledged as a duplicate: handled earlier, not run again', async () => {
    // Prepare
    const lines: string[] = [];
    const runtime = await startTestRuntime({ logFormat: 'human', logLevel: 'INFO', writeLine: (line) => lines.push(line) });
    try {
      const delivery = await signedSample('qikchat');
      await post(runtime, delivery);
      await eventually(() => lines.some((line) => line.includes('processed')));

      // Act: the same event queued again under another deduplication id, as after a restart
      await runtime.sqs.send(
        new SendMessageCommand({ QueueUrl: runtime.queues.queueUrl, MessageBody: serialiseEvent(delivery.expected), MessageGroupId: messageGroupId(delivery.expected), MessageDeduplicationId: 'again-1' }),
      );
      await eventually(() => lines.some((line) => line.includes('already handled earlier')));

      // Assess
      const conversation = eventLogKeys(delivery.expected).conversation ?? '';
      expect(lines).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`  qikchat +message\\.received +conv ${conversation} +already handled earlier: duplicate acknowledged, not run again +\\d+ ms$`))]),
      );
    } finally {
      await runtime.stop();
    }
  });

  it('prints a line for each failure and one when the conversation is parked', { timeout: 30_000 }, async () => {
    // Prepare: a handler that always fails
    const lines: string[] = [];
    const runtime = await startTestRuntime({
      logFormat: 'human',
      logLevel: 'INFO',
      writeLine: (line) => lines.push(line),
      retry: quickRetries,
      handlers: {
        'message.received': () => {
          throw new Error('the CRM is down');
        },
      },
    });
    try {
      const delivery = await signedSample('qikchat');
      const conversation = eventLogKeys(delivery.expected).conversation ?? '';

      // Act
      await post(runtime, delivery);
      await eventually(() => lines.some((line) => line.includes('PARKED')));

      // Assess
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`  qikchat +message\\.received +conv ${conversation} +failed \\(receive 1\\): the CRM is down; retried +\\d+ ms$`)),
          expect.stringMatching(new RegExp(`  qikchat +message\\.received +conv ${conversation} +PARKED with its conversation after 2 attempts \\(GET /_local/parked`)),
        ]),
      );
    } finally {
      await runtime.stop();
    }
  });

  it('prints a line when a message is dead-lettered', { timeout: 30_000 }, async () => {
    // Prepare
    const lines: string[] = [];
    const runtime = await startTestRuntime({ logFormat: 'human', logLevel: 'INFO', writeLine: (line) => lines.push(line), deadLetterCheckMs: 100 });
    try {
      // Act: a message that is no event, straight into the queue
      await runtime.sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.queueUrl, MessageBody: 'not an event', MessageGroupId: 'poison', MessageDeduplicationId: 'poison-1' }));
      await eventually(() => lines.some((line) => line.includes('DEAD-LETTERED')));

      // Assess
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/DEAD-LETTERED: not an event \(GET \/_local\/dead-letters; npm run redrive\)/)]));
    } finally {
      await runtime.stop();
    }
  });
});

describe('a refused request in human format', () => {
  it('prints its path with the credentials of its query string redacted (issue 22)', () => {
    // Prepare
    const lines: string[] = [];
    const log = createLocalLog({ format: 'human', logLevel: 'INFO', write: (line) => lines.push(line) });

    // Act
    log.refused({ method: 'POST', path: '/nowhere?access_token=abc123&lang=id', status: 404 });

    // Assess
    expect(lines.join('\n')).toContain('/nowhere?access_token=[REDACTED]&lang=id');
    expect(lines.join('\n')).not.toContain('abc123');
  });
});

describe("a destination's attempts in human format", () => {
  it('prints one line per attempt, and none for the log items the destinations make of them', () => {
    // Prepare
    const lines: string[] = [];
    const log = createLocalLog({ format: 'human', logLevel: 'INFO', write: (line) => lines.push(line) });
    const attempt = { destination: 'crm', eventId: 'qikchat:in:1', type: 'message.received', provider: 'qikchat', latencyMs: 12, at: '2026-12-07T03:00:00.000Z' } as const;

    // Act
    log.logger.warn('Delivery failed', { ...attempt, outcome: 'retry', status: 503 });
    log.outbound({ ...attempt, attempt: 1, outcome: 'retry', status: 503, nextRetryAt: '2026-12-07T03:00:01.000Z', error: 'HTTP 503' });
    log.outbound({ ...attempt, attempt: 2, outcome: 'delivered', status: 204 });
    log.outbound({ ...attempt, attempt: 3, outcome: 'failed', status: 410, error: 'HTTP 410' });

    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^03:00:00\.000 {2}qikchat +message\.received +- +→ crm retry 503 \(attempt 1, next 03:00:01\): HTTP 503 {2}12 ms$/),
      expect.stringMatching(/ +→ crm delivered 204 {2}12 ms$/),
      expect.stringMatching(/ +→ crm FAILED 410 after 3 attempts: its conversation is parked: HTTP 410 {2}12 ms$/),
    ]);
  });
});

describe('the local runtime in JSON format', () => {
  it('logs an event dead-lettered because it could not be parked as a JSON line with its ids', { timeout: 30_000 }, async () => {
    // Prepare: the park store is down, and SQS dead-letters on the 2nd receive
    const delivery = await signedSample('qikchat');

    const runtime = await startTestRuntime({
      logFormat: 'json',
      logLevel: 'WARN',
      topology: { ...localQueueTopology, maxReceiveCount: 1 },
      parkStoreEndpoint: `http://127.0.0.1:${String(await closedPort())}`,
      deadLetterCheckMs: 100,
    });

    // Act: Powertools writes WARN and ERROR lines to stderr
    const output = await captureStdout(async () => {
      try {
        await post(runtime, delivery);
        await eventually(async () => ((await (await fetch(`${runtime.url}/_local/dead-letters`)).json()) as unknown[]).length === 1);
        // The watch looks every 100 ms: one more look after the letter is listed.
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await runtime.stop();
      }
    }, { stderr: true });

    // Assess
    const logged = output.map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = logged.find((entry) => entry.message === 'Event dead-lettered');
    expect(line).toMatchObject({ level: 'WARN', ...eventLogKeys(delivery.expected) });
    expect(typeof line?.receiveCount).toBe('number');
  });
});

describe('npm start', () => {
  /** Runs `npm start`'s entry point with stdout a pipe (not a terminal), as a log collector would. */
  function start(env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'dev/cli/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', LOG_FORMAT: '', POWERTOOLS_LOG_LEVEL: 'INFO', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return { child, stdout: () => stdout, stderr: () => stderr };
  }

  it('writes JSON lines when stdout is not a terminal, its banner going to stderr', { timeout: 60_000 }, async () => {
    // Prepare: a state folder of its own, so that neither a developer's .local/ nor an earlier run is involved
    const stateDir = await mkdtemp(join(tmpdir(), 'gateway-state-'));
    const started = start({ LOCAL_STATE_DIR: stateDir });
    try {
      await eventually(() => /running locally at (http:\S+)/.test(started.stderr()), 30_000);
      const url = /running locally at (http:\S+)/.exec(started.stderr())?.[1] ?? '';
      const delivery = await signedSample('qikchat');
      const secret = 'dev-user:dev-only-password';
      const headers = { ...delivery.headers, ...signDelivery(provider('qikchat'), delivery.body, secret) };

      // Act
      const answer = await fetch(`${url}/webhooks/qikchat`, { method: 'POST', headers, body: delivery.body });
      await eventually(() => started.stdout().includes('Event processed'), 20_000);

      // Assess
      expect(answer.status).toBe(200);
      const lines = started.stdout().split('\n').filter((line) => line !== '');
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.map((line) => line.message)).toEqual(expect.arrayContaining(['Delivery accepted', 'Event processed']));
    } finally {
      started.child.kill('SIGTERM');
      await once(started.child, 'exit');
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ QIKCHAT_BASIC_AUTH: '' }, 'npm start: QIKCHAT_BASIC_AUTH is set but empty: it must be user:password (a user, a colon, a password), or unset'],
    [{ QIKCHAT_BASIC_AUTH: 'nocolon' }, 'npm start: QIKCHAT_BASIC_AUTH must be user:password (a user, a colon, a password), or unset'],
    [{ CHATZURI_SECRET_KEY_PREVIOUS: 'rotated-out' }, 'npm start: CHATZURI_SECRET_KEY_PREVIOUS is set but CHATZURI_SECRET_KEY is not: set CHATZURI_SECRET_KEY to the Chatzuri webhook secret key too'],
  ])('stops with one line and no stack trace when a secret variable is unusable: %o', { timeout: 60_000 }, async (env, line) => {
    // Act
    const started = start({ QIKCHAT_BASIC_AUTH: undefined, CHATZURI_SECRET_KEY: undefined, ...env });
    const [code] = (await once(started.child, 'exit')) as [number];

    // Assess
    expect(code).toBe(1);
    expect(started.stderr()).toBe(`${line}\n`);
    expect(started.stdout()).toBe('');
  });
});
