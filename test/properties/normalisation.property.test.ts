import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookEventSchema, type WebhookEvent } from '../../lib/events/schema.js';
import { MAXIMUM_JSON_DEPTH } from '../../lib/providers/kit/body.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { providers } from '../../lib/providers/registry.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import { anyBody, anyJson, contentValue, decimalValue, envelopeLike, jsonText, mutatedSample } from '../support/arbitraries.js';
import { webhookEventValidator } from '../support/json-schema-validator.js';

const NUM_RUNS = 300;
/** What SQS takes as a MessageDeduplicationId: 1 to 128 printable ASCII characters, no space. */
const DEDUPLICATION_ID = /^[\x21-\x7e]{1,128}$/;

const validateJsonSchema = webhookEventValidator();

/** The source text of every number in a JSON text, in document order (Node 24's reviver `context.source`). */
function numberTexts(text: string): string[] {
  const texts: string[] = [];
  const parse = JSON.parse as (text: string, reviver: (key: string, value: unknown, context?: { source?: string }) => unknown) => unknown;
  parse(text, (_key, value, context) => {
    if (typeof value === 'number' && context?.source !== undefined) texts.push(context.source);
    return value;
  });
  return texts;
}

/** When the gateway received the delivery: any time from 2000 to 2100. */
const receivedAt = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

/** The URL hint: none, one the provider knows, or anything. */
function kindHint(provider: ProviderDefinition): fc.Arbitrary<string | undefined> {
  const known = provider.kinds.length > 0 ? [fc.constantFrom(...provider.kinds)] : [];
  return fc.oneof(fc.constant(undefined), ...known, fc.string({ maxLength: 20 }));
}

/** How deep arrays and objects nest: 0 for a scalar, 1 for `[]`. A loop, as the bodies nest thousands deep. */
function nesting(root: unknown): number {
  let deepest = 0;
  const pending: (readonly [unknown, number])[] = [[root, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * What `data.raw` must hold, decoded here without the library's code: Node's lossy UTF-8 decoder round-trips
 * exactly the valid UTF-8 bodies; a leading BOM is not part of the text; JSON nested deeper than the
 * library's limit is kept as text (it could not be serialised again).
 */
function expectedRaw(body: Uint8Array): { readonly raw: unknown; readonly json: boolean; readonly encoding: 'utf8' | 'base64' } {
  const bytes = Buffer.from(body);
  const decoded = bytes.toString('utf8');
  if (!Buffer.from(decoded, 'utf8').equals(bytes)) return { raw: bytes.toString('base64'), json: false, encoding: 'base64' };
  const text = decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { raw: text, json: false, encoding: 'utf8' };
  }
  return nesting(value) > MAXIMUM_JSON_DEPTH ? { raw: text, json: false, encoding: 'utf8' } : { raw: value, json: true, encoding: 'utf8' };
}

/** Everything a normalised event must satisfy, whatever the delivery. */
function assertValidEvent(provider: ProviderDefinition, delivery: WebhookDelivery, event: WebhookEvent): void {
  // Both schemas accept it: zod's, and the committed JSON Schema on the JSON that goes on the queue. The JSON
  // Schema's objects are closed, so this also catches fields zod would silently strip.
  expect(() => WebhookEventSchema.parse(event)).not.toThrow();
  const wire = JSON.parse(JSON.stringify(event)) as unknown;
  expect(validateJsonSchema(wire), JSON.stringify(validateJsonSchema.errors)).toBe(true);
  // The envelope names the provider, and the subject is the conversation.
  expect(event.id).toMatch(DEDUPLICATION_ID);
  expect(event.provider).toBe(provider.slug);
  expect(event.source).toBe(`/webhooks/${provider.slug}`);
  expect(event.subject).toBe(event.data.conversationId || undefined);
  // Nothing is lost: the body is kept, parsed when it is JSON, as text or base64 when not.
  const expected = expectedRaw(delivery.rawBody);
  // node:util's comparison: vitest's reads an own `constructor` key (valid JSON) as the object's class.
  expect(isDeepStrictEqual(event.data.raw, expected.raw), 'data.raw differs from the body').toBe(true);
  if (!expected.json) {
    expect(event.type).toBe('event.unrecognized');
    expect(event.data).toMatchObject({ reason: 'not_json', rawEncoding: expected.encoding });
  }
}

describe.each(providers.map((provider) => [provider.slug, provider] as const))('normaliseDelivery (%s), properties', (_slug, provider) => {
  it('yields a valid event, keeping the body, for any bytes', () => {
    fc.assert(
      fc.property(anyBody, kindHint(provider), receivedAt, (rawBody, hint, at) => {
        // Prepare
        const delivery: WebhookDelivery = { rawBody, headers: {}, kindHint: hint, receivedAt: at };
        // Act
        const event = normaliseDelivery(provider, delivery);
        // Assess
        assertValidEvent(provider, delivery, event);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('yields a valid event for its own and the other providers\' envelopes with random contents', () => {
    fc.assert(
      fc.property(fc.oneof(envelopeLike, mutatedSample), kindHint(provider), receivedAt, (payload, hint, at) => {
        // Prepare
        const delivery: WebhookDelivery = { rawBody: Buffer.from(JSON.stringify(payload)), headers: {}, kindHint: hint, receivedAt: at };
        // Act
        const event = normaliseDelivery(provider, delivery);
        // Assess
        assertValidEvent(provider, delivery, event);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps every number of the body in data.raw with its value, and an integer digit for digit, on the wire', () => {
    fc.assert(
      fc.property(fc.oneof(contentValue, fc.record({ envelope: envelopeLike, extra: contentValue })), kindHint(provider), (tree, hint) => {
        // Prepare
        const body = jsonText(tree);
        // Act
        const event = normaliseDelivery(provider, { rawBody: Buffer.from(body), headers: {}, kindHint: hint, receivedAt: new Date(0) });
        // Assess
        const sent = numberTexts(body);
        const written = numberTexts(JSON.stringify(event.data.raw));
        expect(written.map(decimalValue), body).toEqual(sent.map(decimalValue));
        sent.forEach((text, index) => {
          if (/^\d+$/.test(text)) expect(written[index]).toBe(text);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('gives the same delivery the same id, whenever it is received', () => {
    fc.assert(
      fc.property(fc.oneof(anyBody, anyJson.map((value) => Buffer.from(JSON.stringify(value)))), kindHint(provider), receivedAt, receivedAt, (rawBody, hint, first, second) => {
        // Act
        const once = normaliseDelivery(provider, { rawBody, headers: {}, kindHint: hint, receivedAt: first });
        const again = normaliseDelivery(provider, { rawBody: Uint8Array.from(rawBody), headers: {}, kindHint: hint, receivedAt: second });
        // Assess
        expect(again.id).toBe(once.id);
        expect(again.type).toBe(once.type);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
