/**
 * What every provider's normalisation must do with its own documentation samples and with a body that is not
 * JSON. Each provider's recognition of its samples, field by field, is in its own test file; random bodies
 * and kind hints for every provider are in test/properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { providers } from '../../lib/providers/registry.js';
import { sampleVariant } from '../support/arbitraries.js';
import { deliveryFactory, normalise, ofType, sampleDelivery, sampleJson, sampleNames } from '../support/provider-fixtures.js';

const NUM_RUNS = 200;

/** Bodies a provider could send that are not JSON: plain text and form-encoded fields. */
const NOT_JSON = ['not json at all', 'event=whatsapp:message:in', 'eventType=lead.submit'];

describe.each(providers.map((provider) => [provider.slug, provider] as const))('normaliseDelivery (%s)', (slug, provider) => {
  // Hints the provider knows, one it does not, and anything at all.
  const kindHint = fc.option(fc.oneof(fc.constantFrom(...provider.kinds, 'no-such-kind'), fc.string()), { nil: undefined });

  it.each(sampleNames(slug))('gives the sample %s delivered twice (a retry, received later) the same id', (name) => {
    // Prepare
    const delivery = sampleDelivery(slug, name, { receivedAt: new Date('2024-05-14T12:00:00.000Z') });
    const retried = sampleDelivery(slug, name, { receivedAt: new Date('2024-05-14T13:30:00.000Z') });
    // Act
    const [first, retry] = [normalise(provider, delivery), normalise(provider, retried)];
    // Assess
    expect(retry.id).toBe(first.id);
  });

  it('gives copies of one JSON content in other whitespace and escapes one id, the hash of its compact JSON', () => {
    // Prepare: SHA-256 of '{"a":1}' computed with sha256sum
    const copies = ['{"a":1}', '{ "a" : 1 }\n', '{\n  "\\u0061": 1.0\n}'].map((text) => deliveryFactory({ body: text }));
    // Act
    const ids = copies.map((delivery) => normalise(provider, delivery).id);
    // Assess
    expect(new Set(ids)).toEqual(new Set([`${slug}:sha256:event.unrecognized:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862`]));
  });

  it('keeps numbers a double cannot hold in data.raw, written digit for digit', () => {
    // Prepare
    const body = '{"big":123456789012345678901234567890,"huge":1e400,"id":9007199254740993,"small":1.5}';
    // Act
    const event = normalise(provider, deliveryFactory({ body }));
    // Assess
    expect(JSON.stringify(event.data.raw)).toBe(body);
  });

  it.each(NOT_JSON)('keeps the body "%s", which is not JSON, as event.unrecognized with the text', (text) => {
    // Prepare
    const delivery = deliveryFactory({ body: text });
    // Act
    const event = ofType(normalise(provider, delivery), 'event.unrecognized');
    // Assess
    expect(event.data).toMatchObject({ reason: 'not_json', raw: text });
  });

  // normaliseDelivery keeps a payload that trips a recogniser as event.unrecognized, so the recogniser is also
  // called alone: a throw is a bug even when nothing is lost.
  it.each(sampleNames(slug))('recognises every near miss of the sample %s without a throw, as a valid event', (name) => {
    fc.assert(
      fc.property(sampleVariant(sampleJson(slug, name)), kindHint, (payload, hint) => {
        // Prepare
        const delivery = deliveryFactory({ body: JSON.stringify(payload), kindHint: hint });
        // Act
        const recognise = (): unknown => provider.recognise(payload, { kindHint: hint });
        const event = normaliseDelivery(provider, delivery);
        // Assess
        expect(recognise).not.toThrow();
        expect(WebhookEventSchema.safeParse(event).error).toBeUndefined();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
