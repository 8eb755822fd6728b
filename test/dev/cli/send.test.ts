/**
 * `npm run send` says what the worker did with the event: processed by its handler, processed but only logged for
 * want of one, or already handled earlier (after a restart the idempotency records in the state folder still know
 * it), promptly, never "not processed" after a 15 s wait.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import type { WorkerOutcome } from '../../../dev/local/outcomes.js';
import { runCli } from '../../support/cli.js';
import { signedSample, startTestRuntime, testEnvironment } from '../../support/local-runtime.js';

const send = (runtime: LocalRuntime, args: string[]) => runCli('send', args, { ...testEnvironment(), SEND_URL: runtime.url });

describe('npm run send after a restart', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'send-restart-'));
  });
  afterAll(() => rm(stateDir, { recursive: true, force: true }));

  it('says "already handled earlier" at once for an event the worker handled in an earlier run', { timeout: 90_000 }, async () => {
    // Prepare: the sample handled once, then the runtime restarted on the same state
    const first = await startTestRuntime({ stateDir });
    const before = await send(first, ['qikchat']);
    await first.stop();
    const second = await startTestRuntime({ stateDir });
    try {
      // Act
      const again = await send(second, ['qikchat']);

      // Assess
      expect(before.stdout).toContain('✓ processed by the worker');
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('✓ already handled earlier: the worker acknowledged it as a duplicate');
      expect(again.ms).toBeLessThan(12_000);
      const { expected } = await signedSample('qikchat');
      const outcomes = (await (await fetch(`${second.url}/_local/outcomes?id=${encodeURIComponent(expected.id)}`)).json()) as WorkerOutcome[];
      expect(outcomes).toEqual([expect.objectContaining({ eventId: expected.id, type: expected.type, provider: 'qikchat', outcome: 'duplicate', handler: false })]);
      // GET /_local/events lists the processed events only, as before: a duplicate is not processed again.
      expect(second.events()).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});

describe('npm run send says whether a handler ran', () => {
  let bare: LocalRuntime;
  let handled: LocalRuntime;
  beforeAll(async () => {
    [bare, handled] = await Promise.all([startTestRuntime(), startTestRuntime({ handlers: { 'conversation.started': () => undefined } })]);
  });
  afterAll(() => Promise.all([bare.stop(), handled.stop()]));

  it('with no handler registered for the type: processed, only logged, and where to add one', async () => {
    // Act
    const result = await send(bare, ['qikchat']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '✓ processed by the worker — no handler is registered for message.received, so it was only logged (add one in lib/handlers/registry.ts)',
    );
  });

  it('with a handler registered: processed by the worker', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'send-handled-'));
    const file = join(folder, 'started.json');
    await writeFile(file, '{"event":"conversation.started","data":{"conversationId":"send-handled-1"}}');

    // Act
    const result = await send(handled, ['chatzuri', '--file', file]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ processed by the worker: ${handled.url}/_local/events`);
    expect(result.stdout).not.toContain('no handler');
  });

  it('another content under an id handled before: not run, and what to do', async () => {
    // Prepare: two Qikchat messages of one message id (the event id comes from it), different texts
    const folder = await mkdtemp(join(tmpdir(), 'send-conflict-'));
    const [one, other] = [join(folder, 'one.json'), join(folder, 'other.json')];
    const message = (text: string) =>
      JSON.stringify({ event: 'whatsapp:message:in', payload: { id: 'send-conflict-1', name: 'whatsapp', contacts: [{ profile: { name: 'T' }, to: '+10000000000' }], message: { from: '6280000000077', timestamp: '2026-12-07T00:00:00.000Z', type: 'text', text: { body: text } } } });
    await writeFile(one, message('first text'));
    await writeFile(other, message('edited text'));

    // Act
    const first = await send(handled, ['qikchat', '--file', one]);
    const second = await send(handled, ['qikchat', '--file', other]);

    // Assess
    expect(first.stdout).toContain('✓ processed by the worker');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^✗ not run: event id \S+ was handled earlier with other content/);
  });
});

describe('npm run send with an unusable SEND_URL', () => {
  it('says that it must be an http(s) URL, not that nothing answers', async () => {
    // Act
    const result = await runCli('send', ['qikchat'], { SEND_URL: 'localhost:3000' });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('npm run send: SEND_URL must be an http(s) URL such as http://127.0.0.1:3000, not "localhost:3000"\n');
  });
});
