import { describe, expect, it } from 'vitest';
import { eventId, eventSource, toCloudEvent } from '../../lib/events/build.js';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import type { Recognition, WebhookDelivery } from '../../lib/providers/types.js';

// SHA-256 values computed with sha256sum, not with the code under test:
//   printf '%s' '{"a":1}' | sha256sum        printf '%s' 'msg 1:read' | sha256sum
//   printf 'y%.0s' $(seq 1 121) | sha256sum  printf '%s' 'id:ümlaut' | sha256sum
const BODY = Buffer.from('{"a":1}', 'utf8');
const BODY_SHA256 = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
const SPACED_ID_SHA256 = '7671583881e27cd5bbe00ae9a16c97bb96f8961e91002ddfbe81e779cd9a618f';
const LONG_ID_SHA256 = '92dd06142f0237d7199afdf7c54bda96c468c35043319c1b58fdef689648051e';
const NON_ASCII_ID_SHA256 = '4f1b9118a4fb8caa24feeb5f6e2887acb63403f4835a0906d7ccb5a1b0fa9cb1';

const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');

function deliveryFactory(rawBody: Uint8Array = BODY): WebhookDelivery {
  return { rawBody, headers: {}, receivedAt: RECEIVED_AT };
}

function recognitionFactory(overrides: { id?: string; time?: unknown; conversationId?: string | null } = {}): Recognition {
  return {
    type: 'conversation.ended',
    id: overrides.id,
    time: overrides.time,
    data: { conversationId: overrides.conversationId ?? null, channel: 'web', raw: { a: 1 }, reason: null },
  };
}

describe('eventId', () => {
  it("prefixes the provider's own id with the provider", () => {
    // Act
    const id = eventId('qikchat', BODY, 'wamid.HBgM:read');
    // Assess
    expect(id).toBe('qikchat:wamid.HBgM:read');
  });

  it('hashes the raw body when the provider has no id of its own', () => {
    // Act
    const id = eventId('chatzuri', BODY, undefined);
    // Assess
    expect(id).toBe(`chatzuri:sha256:${BODY_SHA256}`);
  });

  it('gives the same body the same id and different bodies different ids', () => {
    // Act
    const ids = [eventId('chatzuri', BODY, undefined), eventId('chatzuri', Buffer.from('{"a":1}'), undefined), eventId('chatzuri', Buffer.from('{"a":2}'), undefined)];
    // Assess
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('hashes the body by its own bytes when it is a view into a larger buffer', () => {
    // Act
    const id = eventId('chatzuri', Buffer.from('..{"a":1}..', 'utf8').subarray(2, 9), undefined);
    // Assess
    expect(id).toBe(`chatzuri:sha256:${BODY_SHA256}`);
  });

  it.each([
    ['a space', 'msg 1:read', SPACED_ID_SHA256],
    ['non-ASCII characters', 'id:ümlaut', NON_ASCII_ID_SHA256],
    ['more than 128 characters with the prefix', 'y'.repeat(121), LONG_ID_SHA256],
  ])('hashes an own id SQS could not take as a deduplication id: %s', (_name, ownId, sha256) => {
    // Act
    const id = eventId('qikchat', BODY, ownId);
    // Assess
    expect(id).toBe(`qikchat:id-sha256:${sha256}`);
  });

  it('keeps an own id that is exactly 128 characters with the prefix', () => {
    // Prepare: 'qikchat:' is 8 characters
    const ownId = 'y'.repeat(120);
    // Act
    const id = eventId('qikchat', BODY, ownId);
    // Assess
    expect(id).toBe(`qikchat:${ownId}`);
    expect(id).toHaveLength(128);
  });

  it('keeps an own id made of any printable ASCII but space', () => {
    // Prepare
    const ownId = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~09AZaz';
    // Act
    const id = eventId('qikchat', BODY, ownId);
    // Assess
    expect(id).toBe(`qikchat:${ownId}`);
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
    const recognition = recognitionFactory({ id: 'end:1', time: '2024-05-14T10:00:00Z', conversationId: 'conv_1' });
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognition);
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
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ time }));
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
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ time }));
    // Assess
    expect(event.time).toBe('2024-05-14T12:00:00.000Z');
    expect(WebhookEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['null', null],
    ['empty', ''],
  ])('leaves the subject out when the conversation id is %s', (_name, conversationId) => {
    // Act
    const event = toCloudEvent('chatzuri', deliveryFactory(), recognitionFactory({ conversationId }));
    // Assess
    expect(event).not.toHaveProperty('subject');
    expect(WebhookEventSchema.safeParse(event).success).toBe(true);
  });
});
