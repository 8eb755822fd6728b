/**
 * Issue 23: the EventBridge destination through a wire-level stand-in of PutEvents (dev/fakes/eventbridge.ts; no
 * emulator exists), itself checked here with the real SDK client.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEventBridge, type EventBridgeStandIn } from '../../dev/fakes/eventbridge.js';
import { listParked } from '../../lib/parking/listing.js';
import { cloudEvent } from '../support/events.js';
import { eventually } from '../support/local-runtime.js';
import { conversationEvents, startDeliveryPipeline, type DeliveryPipeline } from './support.js';

let bus: EventBridgeStandIn;
let pipeline: DeliveryPipeline | undefined;
const client = () => new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
beforeEach(async () => {
  bus = await startEventBridge();
});
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
  await bus.close();
});

describe('the PutEvents stand-in, with the real SDK client', () => {
  it('accepts entries, fails the chosen ones, and refuses more than 10 as EventBridge does', async () => {
    // Prepare
    bus.failEntry = (_entry, index) => (index === 1 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : undefined);
    const entry = { Source: 's', DetailType: 't', Detail: '{"a":1}', EventBusName: 'bus' };

    // Act
    const answer = await client().send(new PutEventsCommand({ Entries: [entry, entry, { ...entry, Detail: 'not json' }] }));
    const tooMany = client().send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }));

    // Assess
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.map((result) => result.ErrorCode)).toEqual([undefined, 'ThrottlingException', 'MalformedDetail']);
    expect(answer.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
    expect(bus.accepted).toHaveLength(1);
  });
});

describe('an EventBridge destination', () => {
  it('puts each event once: Source by provider, DetailType the type, Detail the CloudEvent; calls of at most 10 entries', { timeout: 60_000 }, async () => {
    // Prepare: 30 conversations of 2 events, so that deliveries meet in one call.
    pipeline = await startDeliveryPipeline({ destinations: [{ type: 'eventbridge', name: 'bus', busName: 'chat-events' }], eventBridge: client(), concurrency: 4 });
    const events = Array.from({ length: 30 }, (_, index) => conversationEvents(`e${String(index)}`, `conv-${String(index)}`, 2)).flat();

    // Act
    await pipeline.send(events);
    await eventually(() => bus.accepted.length >= 60, 45_000);

    // Assess
    expect(bus.accepted).toHaveLength(60);
    const first = bus.accepted.find((entry) => entry.Detail?.includes('"e0-000"'));
    expect(first).toMatchObject({ EventBusName: 'chat-events', Source: 'chat-webhook-gateway.chatzuri', DetailType: 'message.received' });
    expect(JSON.parse(first?.Detail ?? '{}')).toEqual(events[0]);
    expect(Math.max(...bus.calls)).toBeLessThanOrEqual(10);
    // Deliveries of the same moment share a call.
    expect(bus.calls.length).toBeLessThan(60);
    expect(new Set(bus.accepted.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { id: string }).id)).size).toBe(60);
  });

  it('sends again only the entries that failed; none is put twice', { timeout: 60_000 }, async () => {
    // Prepare: every other entry of the first call fails.
    bus.failEntry = (_entry, index) => (index < 10 && index % 2 === 1 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : undefined);
    pipeline = await startDeliveryPipeline({ destinations: [{ type: 'eventbridge', name: 'bus', busName: 'chat-events' }], eventBridge: client() });
    const events = Array.from({ length: 10 }, (_, index) => cloudEvent(`p-${String(index)}`, `conv-p-${String(index)}`));

    // Act
    await pipeline.send(events);
    await eventually(() => bus.accepted.length >= 10);

    // Assess: the retry calls carried only failed entries, and each event was put once.
    const ids = bus.accepted.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { id: string }).id);
    expect(new Set(ids).size).toBe(10);
    expect(ids).toHaveLength(10);
    expect(bus.calls.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(15);
  });

  it('fails the event when the bus keeps failing it, and delivers on a later run', { timeout: 60_000 }, async () => {
    // Prepare: the first 3 tries of the entry fail (one delivery's rounds), then the bus takes it.
    bus.failEntry = (_entry, index) => (index < 3 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : undefined);
    pipeline = await startDeliveryPipeline({ destinations: [{ type: 'eventbridge', name: 'bus', busName: 'chat-events' }], eventBridge: client(), retry: { attempts: 3, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 43_200 } });

    // Act
    await pipeline.send([cloudEvent('t-1', 'conv-t')]);
    await eventually(() => pipeline?.attempts.some((attempt) => attempt.outcome === 'delivered') ?? false);

    // Assess
    expect(pipeline.attempts.map((attempt) => attempt.outcome)).toEqual(['retry', 'delivered']);
    expect(pipeline.attempts[0]?.error).toContain('ThrottlingException');
    expect(bus.accepted).toHaveLength(1);
  });

  it('parks the conversation when the bus cannot be reached for every attempt', { timeout: 60_000 }, async () => {
    // Prepare
    bus.failCall = 'ResourceNotFoundException';
    pipeline = await startDeliveryPipeline({ destinations: [{ type: 'eventbridge', name: 'bus', busName: 'missing-bus' }], eventBridge: client(), retry: { attempts: 2, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 43_200 } });

    // Act
    await pipeline.send([cloudEvent('m-1', 'conv-m')]);
    const active = pipeline;
    await eventually(async () => (await listParked(active.parkStore)).length === 1);

    // Assess
    expect(pipeline.attempts.map((attempt) => attempt.outcome)).toEqual(['retry', 'failed']);
    expect(pipeline.attempts[1]?.error).toContain('ResourceNotFoundException');
  });
});
