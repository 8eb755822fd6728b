/**
 * The local runtime when its queue server goes away and comes back empty: the poller backs off instead of
 * failing several times a second, `/health` says what is wrong, and the queues are made again.
 */
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { POLLER_BACKOFF } from '../../../dev/local/poller.js';
import { eventually, post, signedSample, startTestRuntime, waitForEvent } from '../../support/local-runtime.js';

describe('a queue server that goes away and comes back empty', () => {
  let fauxqs: FauxqsServer;
  let runtime: LocalRuntime;
  const lines: string[] = [];

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    runtime = await startTestRuntime({ sqsEndpoint: fauxqs.address, logLevel: 'INFO', logFormat: 'human', writeLine: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await runtime.stop();
    await fauxqs.stop();
  });

  it('reports 503 with the cause at /health, backs off, recreates the queues and processes again', { timeout: 60_000 }, async () => {
    // Prepare
    const port = Number(new URL(fauxqs.address).port);
    expect((await fetch(`${runtime.url}/health`)).status).toBe(200);

    // Act: the server goes away...
    await fauxqs.stop();
    await eventually(async () => (await fetch(`${runtime.url}/health`)).status === 503);
    const health = (await (await fetch(`${runtime.url}/health`)).json()) as { status: string; problems: string[] };
    await eventually(() => lines.filter((line) => line.includes('Polling the queue')).length >= 3, 20_000);
    // ...and comes back on the same port without its queues
    fauxqs = await startFauxqs({ port, host: '127.0.0.1', logger: false });
    await eventually(async () => (await fetch(`${runtime.url}/health`)).status === 200, 40_000);
    const delivery = await signedSample('qikchat');
    const answer = await post(runtime, delivery);

    // Assess
    expect(health.status).toBe('unhealthy');
    expect(health.problems).toEqual([expect.stringContaining(`the queue at ${fauxqs.address} cannot be reached`)]);
    const failures = lines.filter((line) => line.includes('Polling the queue') && line.includes('failed'));
    // One line per backoff step, each pause twice the one before: not one per loop and second.
    expect(failures.slice(0, 3).map((line) => /retrying in ([\d.]+) s/.exec(line)?.[1])).toEqual(
      [1, 2, 4].map((factor) => String((POLLER_BACKOFF.initialMs * factor) / 1000)),
    );
    expect(failures.every((line) => !line.includes('    at '))).toBe(true);
    expect(lines.some((line) => line.includes('Polling the queue works again'))).toBe(true);
    expect(answer.status).toBe(200);
    await waitForEvent(runtime, (event) => event.id === delivery.expected.id);
  });
});
