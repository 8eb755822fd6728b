/** A code handler that throws PermanentDeliveryError parks its conversation at once, as a destination's 4xx does. */
import { afterEach, expect, it } from 'vitest';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { PermanentDeliveryError } from '../../lib/handlers/errors.js';
import { listParked } from '../../lib/parking/listing.js';
import { eventually } from '../support/local-runtime.js';
import { conversationEvents, startDeliveryPipeline, type DeliveryPipeline } from './support.js';

let pipeline: DeliveryPipeline | undefined;
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});

it('parks at the first failure, with no retry, while a plain error is retried', { timeout: 60_000 }, async () => {
  // Prepare: X-000 is refused for good; Y-000 fails once with a plain error.
  const runs: string[] = [];
  const handler = (event: WebhookEvent) => {
    runs.push(event.id);
    if (event.id === 'X-000') throw new PermanentDeliveryError('the CRM has no such customer');
    if (event.id === 'Y-000' && runs.filter((id) => id === 'Y-000').length === 1) throw new Error('the CRM is restarting');
  };
  pipeline = await startDeliveryPipeline({ destinations: [], handlers: { 'message.received': handler }, retry: { attempts: 5, firstDelaySeconds: 0, backoffRate: 1, maximumDelaySeconds: 43_200 } });

  // Act
  await pipeline.send([...conversationEvents('X', 'conv-X', 2), ...conversationEvents('Y', 'conv-Y', 2)]);
  const active = pipeline;
  await eventually(async () => (await listParked(active.parkStore))[0]?.events.length === 2);
  await eventually(() => runs.includes('Y-001'));

  // Assess
  expect(runs.filter((id) => id === 'X-000')).toHaveLength(1);
  expect(runs).not.toContain('X-001');
  expect(runs.filter((id) => id.startsWith('Y'))).toEqual(['Y-000', 'Y-000', 'Y-001']);
  const [parked] = await listParked(pipeline.parkStore);
  expect(parked).toMatchObject({ conversationId: 'conv-X', attempts: 1 });
  expect(parked?.error).toContain('PermanentDeliveryError: the CRM has no such customer');
});
