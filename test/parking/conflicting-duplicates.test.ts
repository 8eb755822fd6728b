/**
 * Issue 20: a delivery whose event id was handled before but whose content differs is not dropped silently: a WARN
 * line with both content digests, a ConflictingDuplicates metric, the copy kept in the archive, marked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../dev/local/lambda-context.js';
import type { LocalRuntime } from '../../dev/local/runtime.js';
import { readArchive } from '../../dev/replay/read-archive.js';
import { MetricNames } from '../../lib/observability/names.js';
import { createLogger, createMetrics } from '../../lib/observability/powertools.js';
import { createWorkerHandler } from '../../lib/worker/handler.js';
import { contentDigest } from '../../lib/worker/idempotency.js';
import { captureStdout } from '../support/capture-stdout.js';
import { cloudEvent } from '../support/events.js';
import { startTestIdempotencyStore } from '../support/idempotency-store.js';
import { eventually, post, qikchatText, startTestRuntime } from '../support/local-runtime.js';
import { sqsRecord } from '../support/sqs-records.js';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

describe('one event id with other content', () => {
  it('is delivered to the worker, not run, and archived marked conflicting-duplicate (over HTTP, within SQS\'s 5 minutes)', { timeout: 60_000 }, async () => {
    // Prepare
    const texts: string[] = [];
    runtime = await startTestRuntime({ handlers: { 'message.received': (event) => void texts.push(String(event.data.message.text)) } });
    const first = qikchatText('6284444444', 'dup-1', 'the first text');
    const second = qikchatText('6284444444', 'dup-1', 'a different text');

    // Act
    const answers = [await post(runtime, first), await post(runtime, second)];
    const active = runtime;
    await eventually(async () => (await readArchive(active.archive, { id: first.expected.id, marked: true })).events.length === 1);

    // Assess: both accepted; the handler ran once, with the first; the second is archived twice: as it arrived, and marked.
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(texts).toEqual(['the first text']);
    const [marked] = (await readArchive(runtime.archive, { id: first.expected.id, marked: true })).events;
    expect(marked?.mark).toBe('conflicting-duplicate');
    expect(marked?.event.data).toMatchObject({ message: { text: 'a different text' } });
    expect((await readArchive(runtime.archive, { id: first.expected.id })).events).toHaveLength(1);
  });

  it('logs a WARN with both digests and counts ConflictingDuplicates, while a same-content copy stays a duplicate', async () => {
    // Prepare
    const store = await startTestIdempotencyStore();
    try {
      const worker = createWorkerHandler({ logger: createLogger({ logLevel: 'INFO' }), metrics: createMetrics(), ...store.guards(), handlers: {} });
      const handled = cloudEvent('conflict-1', 'conv-conflict', 'original');
      const copy = cloudEvent('conflict-1', 'conv-conflict', 'changed');
      await worker({ Records: [sqsRecord(handled, 1)] }, localLambdaContext('worker', 60_000));

      // Act
      const lines = await captureStdout(async () => {
        await worker({ Records: [sqsRecord(copy, 2)] }, localLambdaContext('worker', 60_000));
        await worker({ Records: [sqsRecord(handled, 3)] }, localLambdaContext('worker', 60_000));
      }, { stderr: true });

      // Assess
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const warning = entries.find((entry) => String(entry.message).startsWith('Event id was handled before with other content'));
      expect(warning).toMatchObject({ level: 'WARN', eventId: 'conflict-1', outcome: 'conflict', handledDigest: contentDigest(handled), copyDigest: contentDigest(copy) });
      expect(JSON.stringify(warning)).not.toContain('changed');
      // One document per batch here, its one count under {service} (the alarms) and by provider and type
      const counts = entries.filter((entry) => '_aws' in entry).map(({ _aws, service, provider, type, level, timestamp, ...values }) => values);
      expect(counts).toEqual([{ [MetricNames.conflicting]: 1 }, { [MetricNames.duplicate]: 1 }]);
    } finally {
      await store.stop();
    }
  });
});
