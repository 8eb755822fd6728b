import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider } from '../../lib/providers/registry.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { jsonText, kindDelivery, type KindDelivery } from '../support/arbitraries.js';

const NUM_RUNS = 300;
/** What SQS takes as a MessageDeduplicationId: 1 to 128 printable ASCII characters, no space. */
const DEDUPLICATION_ID = /^[\x21-\x7e]{1,128}$/;
const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');

function normaliseText(delivery: KindDelivery, text: string): WebhookEvent {
  const provider = findProvider(delivery.provider);
  if (provider === undefined) throw new Error(`No provider ${delivery.provider}`);
  return normaliseDelivery(provider, { rawBody: Buffer.from(text, 'utf8'), headers: {}, kindHint: delivery.kindHint, receivedAt: RECEIVED_AT });
}

/** The same JSON in other whitespace, with a letter of a string written as a `\u` escape. */
function otherSpelling(delivery: KindDelivery): string {
  return `${jsonText(delivery.tree, 2).replace(/"([^"\\]*?)d/, '"$1\\u0064')}\n`;
}

describe('event ids, properties over deliveries of every kind of every provider', () => {
  it('never gives two different events one id, and gives one event the same id however its JSON is spelled', () => {
    fc.assert(
      fc.property(fc.array(kindDelivery, { minLength: 2, maxLength: 8 }), (deliveries) => {
        // Act
        const events = deliveries.map((delivery) => normaliseText(delivery, jsonText(delivery.tree)));
        const respelled = deliveries.map((delivery) => normaliseText(delivery, otherSpelling(delivery)));
        // Assess
        events.forEach((event, index) => {
          const delivery = deliveries[index] as KindDelivery;
          expect(event.type, jsonText(delivery.tree)).toBe(delivery.type);
          expect(event.id).toMatch(DEDUPLICATION_ID);
          expect(respelled[index]?.id, 'the same event in other whitespace and escapes').toBe(event.id);
        });
        for (const [i, first] of deliveries.entries()) {
          for (const [j, second] of deliveries.entries()) {
            const sameEvent = first.provider === second.provider && isDeepStrictEqual(first.identity, second.identity);
            const sameId = events[i]?.id === events[j]?.id;
            const context = `${jsonText(first.tree)} (${String(events[i]?.id)}) / ${jsonText(second.tree)} (${String(events[j]?.id)})`;
            // Content identities are coarser than ids (1e21 and 1000000000000000000000 are one value): only one way.
            if (sameId || first.identity[0] !== 'content') expect(sameId, context).toBe(sameEvent);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
