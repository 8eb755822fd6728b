import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_EVENT_JSON_SCHEMA_ID,
  WEBHOOK_EVENT_JSON_SCHEMA_PATH,
  webhookEventJsonSchema,
  webhookEventJsonSchemaText,
} from '../../dev/json-schema.js';
import { EVENT_TYPES } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { findProvider } from '../../lib/providers/registry.js';
import type { WebhookDelivery } from '../../lib/events/delivery.js';
import { committedWebhookEventJsonSchema, webhookEventValidator } from '../support/json-schema-validator.js';

const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');

/** A provider sample, normalised, as it goes on the queue (JSON, so `undefined` fields are gone). */
function normalisedSample(slug: string, sample: string, kindHint?: string): unknown {
  const provider = findProvider(slug);
  if (provider === undefined) throw new Error(`no provider ${slug}`);
  const rawBody = readFileSync(new URL(`../../dev/samples/${slug}/${sample}.json`, import.meta.url));
  const delivery: WebhookDelivery = { rawBody, headers: {}, kindHint, receivedAt: RECEIVED_AT };
  return JSON.parse(JSON.stringify(normaliseDelivery(provider, delivery)));
}

function normalisedBytes(slug: string, rawBody: Uint8Array): unknown {
  const provider = findProvider(slug);
  if (provider === undefined) throw new Error(`no provider ${slug}`);
  return JSON.parse(JSON.stringify(normaliseDelivery(provider, { rawBody, headers: {}, receivedAt: RECEIVED_AT })));
}

describe('webhook-event.schema.json', () => {
  it('is the committed file exactly as `npm run schema` would write it now', () => {
    // Prepare
    const committed = readFileSync(new URL(`../../${WEBHOOK_EVENT_JSON_SCHEMA_PATH}`, import.meta.url), 'utf8');
    // Act
    const generated = webhookEventJsonSchemaText();
    // Assess: if this fails, the event schema changed; run `npm run schema` and commit the file.
    expect(committed).toBe(generated);
  });

  it('is pretty-printed JSON with a trailing newline', () => {
    // Act
    const text = webhookEventJsonSchemaText();
    // Assess
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "$id": ');
  });

  it('names itself: draft 2020-12, $id, title and description', () => {
    // Act
    const schema = committedWebhookEventJsonSchema();
    // Assess
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: WEBHOOK_EVENT_JSON_SCHEMA_ID,
      title: 'WebhookEvent',
      description: expect.stringContaining('CloudEvents 1.0') as unknown,
    });
  });

  it('has one closed variant per event type, each fixing `type` to one value', () => {
    // Act
    const variants = webhookEventJsonSchema()['oneOf'] as readonly Record<string, unknown>[];
    // Assess
    const types = variants.map((variant) => (variant['properties'] as Record<string, { const?: unknown }>)['type']?.const);
    expect(types).toEqual([...EVENT_TYPES]);
    for (const variant of variants) expect(variant['additionalProperties']).toBe(false);
  });

  it('keeps `data.raw` required but unconstrained: any JSON value the provider sent', () => {
    // Act
    const variants = webhookEventJsonSchema()['oneOf'] as readonly { properties: { data: { properties: Record<string, unknown>; required: string[] } } }[];
    // Assess
    for (const variant of variants) {
      expect(variant.properties.data.properties['raw']).toEqual({});
      expect(variant.properties.data.required).toContain('raw');
    }
  });
});

describe('webhook-event.schema.json, validated with Ajv (independent of zod)', () => {
  const validate = webhookEventValidator();

  it.each([
    ['qiscus-omnichannel', 'message', undefined, 'message.received'],
    ['qiscus-omnichannel', 'new-session', undefined, 'conversation.started'],
    ['qiscus-omnichannel', 'mark-as-resolved', 'mark-as-resolved', 'conversation.resolved'],
    ['qiscus-omnichannel', 'agent-allocation', undefined, 'agent.allocation_requested'],
    ['qiscus-omnichannel', 'custom-button', undefined, 'custom_button.clicked'],
    ['qiscus-omnichannel', 'user-logout-agent', undefined, 'user.logged_out'],
    ['qiscus-sdk', 'public-channel', undefined, 'message.received'],
    ['qikchat', 'message-image', undefined, 'message.received'],
    ['qikchat', 'status-failed', undefined, 'message.status_updated'],
    ['chatzuri', 'lead-submit', undefined, 'lead.submitted'],
    ['chatzuri', 'guide-message-sent', undefined, 'message.sent'],
    ['chatzuri', 'guide-feedback-submitted', undefined, 'feedback.submitted'],
    ['chatzuri', 'guide-escalation-triggered', undefined, 'escalation.triggered'],
    ['chatzuri', 'guide-conversation-ended', undefined, 'conversation.ended'],
  ] as const)('accepts the normalised %s sample %s', (slug, sample, kindHint, type) => {
    // Prepare
    const event = normalisedSample(slug, sample, kindHint);
    // Act
    const valid = validate(event);
    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(event).toMatchObject({ type });
  });

  it('accepts unrecognised deliveries: JSON of no known shape, text, and bytes that are not UTF-8', () => {
    // Prepare
    const events = [
      normalisedBytes('qikchat', Buffer.from('{"hello":"world"}')),
      normalisedBytes('chatzuri', Buffer.from('plain text')),
      normalisedBytes('qiscus-sdk', Uint8Array.of(0xff, 0xfe, 0x00)),
    ];
    // Act
    const results = events.map((event) => validate(event));
    // Assess
    expect(results).toEqual([true, true, true]);
    expect(events.map((event) => (event as { data: { rawEncoding: string } }).data.rawEncoding)).toEqual(['utf8', 'utf8', 'base64']);
  });

  it('rejects an event with a field the schema does not name, a wrong type pairing or a bad time', () => {
    // Prepare
    const event = normalisedSample('qikchat', 'message-text') as Record<string, unknown>;
    const broken = [
      { ...event, extra: 1 },
      { ...event, type: 'message.status_updated' },
      { ...event, time: '2024-05-14 12:00:00' },
      { ...event, specversion: '0.3' },
      { ...event, id: 'x'.repeat(129) },
    ];
    // Act
    const results = broken.map((candidate) => validate(candidate));
    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });
});
