import { describe, expect, it } from 'vitest';
import { eventId, eventSource, toCloudEvent } from '../../lib/normalise/build.js';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import type { OwnEventId, Recognition, WebhookDelivery } from '../../lib/events/delivery.js';

// SHA-256 values computed with sha256sum, not with the code under test:
//   printf '%s' '{"a":1}' | sha256sum
//   printf 'status:%s' $(printf 'y%.0s' $(seq 1 114)) | sha256sum
const BODY = Buffer.from('{"a":1}', 'utf8');
const BODY_SHA256 = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
const LONG_ID_SHA256 = '8fe6950e23025a9ec960a7049f3db443c05767e64a15345fd9869889b283fa33';

const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');
const JSON_CONTENT = { json: { a: 1 } };
const BODY_AS_JSON = { raw: { a: 1 }, content: JSON_CONTENT };

function deliveryFactory(rawBody: Uint8Array = BODY): WebhookDelivery {
  return { rawBody, headers: {}, receivedAt: RECEIVED_AT };
}

function recognitionFactory(overrides: { id?: OwnEventId; time?: unknown; conversationId?: string | null } = {}): Recognition {
  return {
    type: 'conversation.ended',
    id: overrides.id,
    time: overrides.time,
    data: { conversationId: overrides.conversationId ?? null, channel: 'web', reason: null },
  };
}

describe('eventId', () => {
  it("writes the provider, the own id's form and its parts", () => {
    // Act
    const id = eventId('qikchat', 'message.status_updated', ['status', 'wamid.HBgM', 'read'], JSON_CONTENT);
    // Assess
    expect(id).toBe('qikchat:status:wamid.HBgM:read');
  });

  it('keeps an incoming message "X:read" and a status "read" of message "in:X" apart (regression: both were qikchat:in:X:read)', () => {
    // Act
    const incoming = eventId('qikchat', 'message.received', ['in', 'X:read'], JSON_CONTENT);
    const status = eventId('qikchat', 'message.status_updated', ['status', 'in:X', 'read'], JSON_CONTENT);
    // Assess
    expect(incoming).toBe('qikchat:in:X%3Aread');
    expect(status).toBe('qikchat:status:in%3AX:read');
  });

  it.each([
    ['a colon', 'a:b', 'a%3Ab'],
    ['a percent sign, so that an escape cannot be forged', '%3A', '%253A'],
    ['a space', 'a b', 'a%20b'],
    ['Latin-1 letters', 'ümlaut', '%FCmlaut'],
    ['an emoji, by its UTF-16 code units', '😀', '%uD83D%uDE00'],
    ['a lone surrogate, apart from the replacement character', '\ud800', '%uD800'],
    ['the replacement character', '\ufffd', '%uFFFD'],
  ])('escapes %s in a part', (_name, part, escaped) => {
    // Act
    const id = eventId('qikchat', 'message.received', ['in', part], JSON_CONTENT);
    // Assess
    expect(id).toBe(`qikchat:in:${escaped}`);
  });

  it('keeps what ids, e-mail addresses and phone numbers are made of as it is', () => {
    // Act
    const id = eventId('qiscus-sdk', 'message.received', ['message-temp', '17', 'u.ser+tag@example.com', 'bq_1-2~3'], JSON_CONTENT);
    // Assess
    expect(id).toBe('qiscus-sdk:message-temp:17:u.ser+tag@example.com:bq_1-2~3');
  });

  it('keeps an own id of exactly 128 characters, and hashes a longer one in a form of its own', () => {
    // Prepare: 'qikchat:status:' is 15 characters
    const fits = eventId('qikchat', 'message.status_updated', ['status', 'y'.repeat(113)], JSON_CONTENT);
    // Act
    const hashed = eventId('qikchat', 'message.status_updated', ['status', 'y'.repeat(114)], JSON_CONTENT);
    // Assess
    expect(fits).toHaveLength(128);
    expect(hashed).toBe(`qikchat:id-sha256:${LONG_ID_SHA256}`);
  });

  it('hashes the compact JSON, with the event type, when the provider has no id of its own', () => {
    // Act
    const id = eventId('chatzuri', 'conversation.ended', undefined, JSON_CONTENT);
    // Assess
    expect(id).toBe(`chatzuri:sha256:conversation.ended:${BODY_SHA256}`);
  });

  it('hashes the bytes of a body that is not JSON, by its own bytes when it is a view into a larger buffer', () => {
    // Act
    const id = eventId('chatzuri', 'event.unrecognized', undefined, { bytes: Buffer.from('..{"a":1}..', 'utf8').subarray(2, 9) });
    // Assess
    expect(id).toBe(`chatzuri:bytes-sha256:${BODY_SHA256}`);
  });
});

describe('eventSource', () => {
  it('is the provider path, a URI-reference', () => {
    // Act
    const source = eventSource('qiscus-sdk');
    // Assess
    expect(source).toBe('/webhooks/qiscus-sdk');
  });
});

describe('toCloudEvent', () => {
  it('builds a CloudEvents 1.0 event that its schema accepts', () => {
    // Prepare
    const recognition = recognitionFactory({ id: ['end', '1'], time: '2024-05-14T10:00:00Z', conversationId: 'conv_1' });
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognition, BODY_AS_JSON);
    // Assess
    expect(event).toEqual({
      specversion: '1.0',
      id: 'chatzuri:end:1',
      source: '/webhooks/chatzuri',
      type: 'conversation.ended',
      time: '2024-05-14T10:00:00.000Z',
      subject: 'conv_1',
      datacontenttype: 'application/json',
      provider: 'chatzuri',
      data: { conversationId: 'conv_1', channel: 'web', raw: { a: 1 }, reason: null },
    });
    expect(WebhookEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['epoch seconds', 1700000000, '2023-11-14T22:13:20.000Z'],
    ['a naive date-time', '2019-02-04 04:49:47', '2019-02-04T04:49:47.000Z'],
  ])('takes the time from the payload: %s', (_name, time, expected) => {
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ time }), BODY_AS_JSON);
    // Assess
    expect(event.time).toBe(expected);
  });

  it.each([
    ['none', undefined],
    ['not a time', 'soon'],
    ['zero', 0],
    ['after year 9999', 253402300800000],
  ])('falls back to the time of receipt when the payload time is %s', (_name, time) => {
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ time }), BODY_AS_JSON);
    // Assess
    expect(event.time).toBe('2024-05-14T12:00:00.000Z');
    expect(WebhookEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['null', null],
    ['empty', ''],
  ])('leaves the subject out when the conversation id is %s', (_name, conversationId) => {
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ conversationId }), BODY_AS_JSON);
    // Assess
    expect(event).not.toHaveProperty('subject');
    expect(WebhookEventSchema.safeParse(event).success).toBe(true);
  });
});
