/**
 * The console's recorder is bounded by bytes as well as by count (issue 22, point 4: 4,500 unsigned 1 MB bodies grew
 * the server from 175 MB to 6.7 GB): a rejected delivery keeps only the first 4 KB of its body and says how large it
 * was; deliveries and events together stay within `maximumBytes`, the oldest dropped first. Measured on what the
 * recorder keeps (its entries and details), not on the process.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { bodyHeading, type EntryDetail } from '../../../dev/console/model.js';
import { createConsoleRecorder, type ConsoleRecorder } from '../../../dev/console/recorder.js';
import { localLambdaContext } from '../../../dev/local/lambda-context.js';
import { cloudEvent } from '../../support/events.js';
import { httpApiEvent } from '../../support/http-api-event.js';
import { sqsRecord } from '../../support/sqs-records.js';

const MiB = 1024 * 1024;
const UNAUTHORIZED: APIGatewayProxyStructuredResultV2 = { statusCode: 401, body: '{"message":"Unauthorized"}' };
const ACCEPTED: APIGatewayProxyStructuredResultV2 = { statusCode: 200, body: '{"status":"accepted"}' };

/** Sends `body` through a recorded receiver that answers `answer`; the detail of the delivery it recorded. */
async function deliver(recorder: ConsoleRecorder, body: string | Buffer, answer = UNAUTHORIZED, base64 = false): Promise<EntryDetail | undefined> {
  const receiver = recorder.receiver('qikchat', () => Promise.resolve(answer));
  await receiver(httpApiEvent({ path: '/webhooks/qikchat', body, headers: { 'content-type': 'application/json' }, base64 }), localLambdaContext('receiver-qikchat', 5_000));
  const latest = recorder.entries().filter((entry) => entry.kind === 'delivery').at(-1);
  return latest && recorder.detail(latest.id);
}

/** The bytes of everything the recorder would show: each entry's detail, as the page gets it. */
const shownBytes = (recorder: ConsoleRecorder) => recorder.entries().reduce((sum, entry) => sum + Buffer.byteLength(JSON.stringify(recorder.detail(entry.id))), 0);

describe('console recorder: a rejected delivery’s body', () => {
  it('keeps its first 4 KB, redacted, and says it was cut and how large it was', async () => {
    // Prepare: an unsigned 1 MiB JSON body with a credential near its start
    const body = JSON.stringify({ event: 'message.received', password: 'hunter2-in-clear', pad: 'x'.repeat(MiB) });

    // Act
    const shown = await deliver(createConsoleRecorder(), body);

    // Assess
    const request = shown?.request;
    expect(shown?.entry).toMatchObject({ outcome: 'rejected', status: 401 });
    expect(request?.bodyBytes).toBe(Buffer.byteLength(body));
    expect(request?.keptBytes).toBe(4096);
    expect(Buffer.byteLength(request?.body ?? '')).toBe(4096);
    expect(request?.body.startsWith('{"event":"message.received","password":"[REDACTED]","pad":"xxx')).toBe(true);
    expect(request && bodyHeading(request)).toBe(`Body, cut to its first 4,096 of ${Buffer.byteLength(body).toLocaleString('en-US')} bytes (a rejected delivery keeps only the start of its body)`);
  });

  it('cuts between characters, and keeps a body that is not UTF-8 as base64 of its first 4 KB', async () => {
    // Prepare: 'é' is two bytes: byte 4096 falls inside one
    const recorder = createConsoleRecorder();

    // Act
    const text = await deliver(recorder, `x${'é'.repeat(5_000)}`);
    const binary = await deliver(recorder, Buffer.alloc(10_000, 0xff), UNAUTHORIZED, true);

    // Assess
    expect(text?.request?.body).toBe(`x${'é'.repeat(2_047)}`);
    expect(text?.request).toMatchObject({ keptBytes: 4_095, bodyBytes: 10_001 });
    expect(binary?.request).toMatchObject({ bodyEncoding: 'base64', body: Buffer.alloc(4096, 0xff).toString('base64'), keptBytes: 4096, bodyBytes: 10_000 });
  });

  it('keeps an accepted delivery’s body whole, and a small rejected one as it came', async () => {
    // Prepare
    const recorder = createConsoleRecorder();
    const large = JSON.stringify({ event: 'message.received', pad: 'y'.repeat(100_000) });

    // Act
    const accepted = await deliver(recorder, large, ACCEPTED);
    const rejected = await deliver(recorder, '{"event":"message.received"}');

    // Assess
    expect(accepted?.request).toMatchObject({ body: large, bodyBytes: large.length });
    expect(accepted?.request?.keptBytes).toBeUndefined();
    expect(rejected?.request).toMatchObject({ body: '{"event":"message.received"}', bodyBytes: 28 });
    expect(rejected?.request && bodyHeading(rejected.request)).toBe('Body, exactly as received');
  });
});

describe('console recorder: its byte bound', () => {
  it('holds it under a flood of 1 MiB unsigned deliveries: the oldest go first, the newest stay', { timeout: 60_000 }, async () => {
    // Prepare
    const maximumBytes = 2 * MiB;
    const recorder = createConsoleRecorder({ maximumBytes });
    const body = 'z'.repeat(MiB);
    const sent = 1_000;

    // Act
    for (let index = 0; index < sent; index++) await deliver(recorder, body);

    // Assess: within the bound, counted and as shown
    const kept = recorder.entries();
    expect(recorder.retainedBytes()).toBeLessThanOrEqual(maximumBytes);
    expect(shownBytes(recorder)).toBeLessThanOrEqual(recorder.retainedBytes());
    // Each keeps about 5 KB: hundreds of the newest, not a handful and not all
    expect(kept.length).toBeGreaterThan(300);
    expect(kept.length).toBeLessThan(sent);
    expect(kept.map((entry) => entry.seq)).toEqual(Array.from({ length: kept.length }, (_, index) => sent - kept.length + 1 + index));
    expect(kept.every((entry) => Buffer.byteLength(recorder.detail(entry.id)?.request?.body ?? '') <= 4096)).toBe(true);
  });

  it('counts accepted deliveries, events and their attempts together, and drops the oldest of them first', async () => {
    // Prepare: 256 KiB; each delivery keeps 100 KB, each event about 40 KB (its text twice, in raw and message)
    const maximumBytes = 256 * 1024;
    const recorder = createConsoleRecorder({ maximumBytes });
    const worker = recorder.worker(() => Promise.resolve({ batchItemFailures: [] }));

    // Act
    for (let index = 0; index < 5; index++) await deliver(recorder, JSON.stringify({ n: index, pad: 'a'.repeat(100_000) }), ACCEPTED);
    for (let index = 0; index < 10; index++) {
      await worker({ Records: [sqsRecord(cloudEvent(`e-${String(index)}`, 'conv-1', 'b'.repeat(20_000)), index)] }, localLambdaContext('worker', 60_000));
    }

    // Assess
    const kept = recorder.entries();
    expect(recorder.retainedBytes()).toBeLessThanOrEqual(maximumBytes);
    expect(shownBytes(recorder)).toBeLessThanOrEqual(recorder.retainedBytes());
    expect(kept.every((entry) => entry.kind === 'event')).toBe(true);
    expect(kept.map((entry) => entry.id)).toEqual(['e:e-4', 'e:e-5', 'e:e-6', 'e:e-7', 'e:e-8', 'e:e-9']);
    expect(recorder.detail('e:e-9')?.attempts).toEqual([expect.objectContaining({ outcome: 'processed' })]);
  });

  it('keeps 64 MiB by default: a thousand rejected 1 MiB bodies all stay, 4 KB each', { timeout: 60_000 }, async () => {
    // Prepare
    const recorder = createConsoleRecorder();
    const body = 'q'.repeat(MiB);

    // Act
    for (let index = 0; index < 1_000; index++) await deliver(recorder, body);

    // Assess: the count bound (5,000) and the byte bound are far; all of it is kept, in about 5 MB instead of 1 GB
    expect(recorder.entries()).toHaveLength(1_000);
    expect(recorder.retainedBytes()).toBeLessThan(6 * MiB);
  });
});
