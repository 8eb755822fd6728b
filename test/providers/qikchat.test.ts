import { describe, expect, it } from 'vitest';
import { qikchat } from '../../lib/providers/qikchat/index.js';
import { MalformedSignatureError, SignatureMismatchError } from '../../lib/providers/kit/errors.js';
import {
  RECEIVED_AT,
  deliveryFactory,
  expectRejected,
  normalise,
  ofType,
  rejectionOf,
  sampleBytes,
  sampleDelivery,
  signatureFixture,
  signatureValue,
  signedHeaders,
  withChangedBytes,
} from '../support/provider-fixtures.js';
import { acceptedOrError, base64Spellings } from './base64-spellings.js';

const SLUG = 'qikchat';

/** test/fixtures/signatures/qikchat.json, written by openssl (sign-samples.sh), never by the code under test. */
const FIXTURE = signatureFixture(SLUG);
const { current: CURRENT, previous: PREVIOUS } = FIXTURE.secrets;
/** The header openssl recorded for `message-text` with the current credentials. */
const AUTHORIZATION = signatureValue(FIXTURE, 'message-text', 'current', 'Authorization');
/** The customer of every sample: `message.from` of incoming messages, `from` of statuses. */
const CUSTOMER = '919812345678';

// ---------------------------------------------------------------------------------------------------------
// Verification: what is particular to Basic credentials (what every provider shares: verification.test.ts)
// ---------------------------------------------------------------------------------------------------------

describe('qikchat.verify (Basic authentication)', () => {
  it('accepts a password containing colons (RFC 7617: only the user-id may not contain one)', () => {
    // Prepare
    const [user, ...password] = CURRENT.split(':');
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: signedHeaders(FIXTURE, 'message-text', 'current') });
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(user).toBe('gateway');
    expect(password.length).toBeGreaterThan(1);
    expect(act).not.toThrow();
  });

  it('rejects credentials with one changed byte', () => {
    // Prepare
    const changed = AUTHORIZATION.replace(/[A-Za-z](?==*$)/, (c) => (c === 'A' ? 'B' : 'A'));
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: { Authorization: changed } });
    // Act
    const error = rejectionOf(qikchat, delivery, [CURRENT, PREVIOUS]);
    // Assess
    expect(changed).not.toBe(AUTHORIZATION);
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('accepts a changed body: Basic credentials authenticate the sender, not the body', () => {
    // Prepare
    const body = withChangedBytes(sampleBytes(SLUG, 'message-text'), 'kurta', 'Kurta');
    const delivery = deliveryFactory({ body, headers: signedHeaders(FIXTURE, 'message-text', 'current') });
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(act).not.toThrow();
  });

  it('accepts the scheme name in another case (RFC 7235: case-insensitive)', () => {
    // Prepare
    const header = AUTHORIZATION.replace(/^Basic/, 'basic');
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: { Authorization: header } });
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(act).not.toThrow();
  });

  it.each([
    ['hex instead of base64', `Basic ${Buffer.from(CURRENT).toString('hex')}`],
    ['not encoded at all', `Basic ${CURRENT}`],
    ['base64url instead of base64', `Basic ${Buffer.from(`${CURRENT}?>`).toString('base64url')}`],
  ])('rejects credentials in the wrong encoding (%s) as a mismatch', (_label, header) => {
    // Prepare
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: { Authorization: header } });
    // Act
    const error = rejectionOf(qikchat, delivery, [CURRENT]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it.each([
    ['the Bearer scheme', `Bearer ${Buffer.from(CURRENT).toString('base64')}`],
    ['a scheme without credentials', 'Basic'],
    ['credentials without a scheme', Buffer.from(CURRENT).toString('base64')],
  ])('refuses a header that is not "Basic <credentials>" (%s)', (_label, header) => {
    // Prepare
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: { Authorization: header } });
    // Act
    const error = rejectionOf(qikchat, delivery, [CURRENT]);
    // Assess
    expectRejected(error, MalformedSignatureError, 'malformed_signature');
  });

  // Issue 22, point 5: sixteen spellings of one credential were accepted; "one character changed" must be a 401.
  it.each([
    ['`==`, 15 other spellings', 'gateway:pass:with:colons-now', 16],
    ['`=`, 3 other spellings', CURRENT, 4],
  ])('accepts only the canonical base64 of the credentials, not the spellings that differ in its spare bits (%s)', (_label, credentials, count) => {
    // Prepare
    const [canonical = '', ...others] = base64Spellings(Buffer.from(credentials, 'utf8').toString('base64'));
    const outcome = (token: string): unknown => acceptedOrError(() => qikchat.verify(sampleDelivery(SLUG, 'message-text', { headers: { Authorization: `Basic ${token}` } }), [credentials, PREVIOUS]));
    // Act
    const accepted = outcome(canonical);
    const refused = others.map(outcome);
    // Assess
    expect(others).toHaveLength(count - 1);
    expect(accepted).toBe('accepted');
    for (const error of refused) expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('never puts the credentials into the error message', () => {
    // Prepare
    const delivery = sampleDelivery(SLUG, 'message-text', { headers: { Authorization: `Bearer ${CURRENT}` } });
    // Act
    const error = rejectionOf(qikchat, delivery, [CURRENT]);
    // Assess
    expect(String(error)).not.toContain(CURRENT);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: whatsapp:message:in → message.received
// ---------------------------------------------------------------------------------------------------------

// Each sample, event by event (every message type and status): test/providers/golden.test.ts.
describe('qikchat: whatsapp:message:in → message.received', () => {
  it('reads the documentation samples as published (text and media)', () => {
    // Prepare: Qikchat's own samples, placeholders included; both are valid JSON as published.
    const contacts = [{ profile: { name: 'Siva' }, to: '+91790XXXXXXX' }];
    const text = {
      event: 'whatsapp:message:in',
      payload: { id: '52JH6WmuSruAVyXvBBYemd0Ia', name: 'whatsapp', contacts, message: { from: '9184XXXXXXX', timestamp: '2022-02-15T11:30:35.000Z', text: { body: 'I want this product' }, type: 'text' } },
    };
    const media = {
      event: 'whatsapp:message:in',
      payload: { id: '52JH6WmuSruAVyXvBBYemd0Ia', name: 'whatsapp', contacts, message: { from: '9184XXXXXXX', timestamp: '2022-02-15T11:30:35.000Z', image: { id: 'id', mime_type: 'image/jpeg', sha256: 'sha256', url: 'media-url' }, type: 'image' } },
    };
    // Act
    const textEvent = ofType(normalise(qikchat, deliveryFactory({ body: text })), 'message.received');
    const mediaEvent = ofType(normalise(qikchat, deliveryFactory({ body: media })), 'message.received');
    // Assess
    expect(textEvent.data).toMatchObject({ conversationId: '9184XXXXXXX', sender: { name: 'Siva' }, message: { type: 'text', text: 'I want this product' } });
    expect(textEvent.time).toBe('2022-02-15T11:30:35.000Z');
    expect(mediaEvent.data.message).toMatchObject({ type: 'image', text: null, media: { id: 'id', url: 'media-url', mimeType: 'image/jpeg', sha256: 'sha256' } });
  });

  it('accepts variants: a numeric sender, no contacts, no channel name, an epoch timestamp', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        event: 'whatsapp:message:in',
        payload: { id: 'Nq1Wm2Ex3Rc4Tv5Yb6Un7Im8O', message: { from: 919812345678, timestamp: 1715677925, type: 'text', text: { body: 'hello' } } },
      },
    });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.received');
    // Assess
    expect(event.data).toMatchObject({ conversationId: CUSTOMER, channel: 'whatsapp', sender: { id: CUSTOMER, name: null } });
    expect(event.time).toBe('2024-05-14T09:12:05.000Z');
  });

  it('keeps a message whose content does not match its type, with its text unknown', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        event: 'whatsapp:message:in',
        payload: { id: 'Xy1Zw2Vu3Ts4Rq5Po6Nm7Lk8J', message: { from: CUSTOMER, type: 'text', text: 'not an object' } },
      },
    });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.received');
    // Assess
    expect(event.data.message).toMatchObject({ type: 'text', text: null });
  });

  it.each(['order', 'system', 'request_welcome'])('maps the unknown message type %s to other', (type) => {
    // Prepare
    const delivery = deliveryFactory({ body: { event: 'whatsapp:message:in', payload: { id: `id-${type}`, message: { from: CUSTOMER, type, [type]: {} } } } });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.received');
    // Assess
    expect(event.data.message).toEqual({ id: `id-${type}`, type: 'other', text: null });
  });

  it('treats a removed reaction (empty emoji) as a reaction without text', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        event: 'whatsapp:message:in',
        payload: { id: 'Rm0Rv1Ed2Re3Ac4Ti5On6Xy7Z', message: { from: CUSTOMER, type: 'reaction', reaction: { message_id: 'gBGGkZhAJnY4Tq8vRm2XcWp1L', emoji: '' } } },
      },
    });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.received');
    // Assess
    expect(event.data.message).toMatchObject({ type: 'reaction', text: null });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: whatsapp:message:status → message.status_updated
// ---------------------------------------------------------------------------------------------------------

const SENT_MESSAGE_ID = 'gBGGkZhAJnY4Tq8vRm2XcWp1L';

describe('qikchat: whatsapp:message:status → message.status_updated', () => {
  it('puts a status in the same conversation as the customer\'s incoming messages (one FIFO group)', () => {
    // Prepare
    const incoming = sampleDelivery(SLUG, 'message-text');
    const status = sampleDelivery(SLUG, 'status-read');
    // Act
    const [message, receipt] = [normalise(qikchat, incoming), normalise(qikchat, status)];
    // Assess
    expect(receipt.subject).toBe(message.subject);
    expect(receipt.data.conversationId).toBe(message.data.conversationId);
  });

  it('reads the documentation sample (trailing commas removed)', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        event: 'whatsapp:message:status',
        payload: { id: '52JH6WmuSruAVyXvBBYemd0Ia', name: 'whatsapp', from: '918080808080', to: '+91790XXXXXXX', status: 'read', timestamp: '2022-02-15T11:30:35.000Z' },
      },
    });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.status_updated');
    // Assess
    expect(event.data).toMatchObject({ status: 'read', messageId: '52JH6WmuSruAVyXvBBYemd0Ia', conversationId: '918080808080' });
    expect(event.time).toBe('2022-02-15T11:30:35.000Z');
  });

  it.each(['deleted', 'pending', 'DELIVERED'])('passes the status %s through as sent', (status) => {
    // Prepare
    const delivery = deliveryFactory({ body: { event: 'whatsapp:message:status', payload: { id: SENT_MESSAGE_ID, from: CUSTOMER, to: '+917901234567', status } } });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'message.status_updated');
    // Assess
    expect(event.data.status).toBe(status);
  });

  it('falls back to the received time when the status has no timestamp', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { event: 'whatsapp:message:status', payload: { id: SENT_MESSAGE_ID, from: CUSTOMER, status: 'sent' } } });
    // Act
    const event = normalise(qikchat, delivery);
    // Assess
    expect(event.time).toBe(RECEIVED_AT.toISOString());
  });
});

// ---------------------------------------------------------------------------------------------------------
// Event ids
// ---------------------------------------------------------------------------------------------------------

describe('qikchat event ids', () => {
  it('gives the sent, delivered and read callbacks of one message three different ids', () => {
    // Prepare
    const samples = ['status-sent', 'status-delivered', 'status-read'];
    // Act
    const ids = samples.map((sample) => normalise(qikchat, sampleDelivery(SLUG, sample)).id);
    // Assess
    expect(new Set(ids).size).toBe(3);
  });

  it('keeps a status "read" of message "in:X" apart from an incoming message "X:read" of the same customer (regression: both were qikchat:in:X:read)', () => {
    // Prepare
    const status = deliveryFactory({ body: { event: 'whatsapp:message:status', payload: { id: 'in:X', from: CUSTOMER, status: 'read' } } });
    const incoming = deliveryFactory({ body: { event: 'whatsapp:message:in', payload: { id: 'X:read', message: { from: CUSTOMER, type: 'text', text: { body: 'hi' } } } } });
    // Act
    const ids = [normalise(qikchat, status).id, normalise(qikchat, incoming).id];
    // Assess
    expect(ids).toEqual(['qikchat:status:in%3AX:read', 'qikchat:in:X%3Aread']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Not Qikchat's shape → event.unrecognized
// ---------------------------------------------------------------------------------------------------------

describe('qikchat: deliveries of no known shape', () => {
  it.each([
    ['another reseller\'s whatsapp:message:in (Cloud API-like)', { event: 'whatsapp:message:in', payload: { messages: [{ from: CUSTOMER, id: 'wamid.X', type: 'text', text: { body: 'hi' } }] } }],
    ['another reseller\'s whatsapp:message:status', { event: 'whatsapp:message:status', payload: { messageId: 'abc', deliveryStatus: 'READ' } }],
    ['an incoming message without a sender', { event: 'whatsapp:message:in', payload: { id: 'abc', message: { type: 'text', text: { body: 'hi' } } } }],
    ['an unknown event', { event: 'whatsapp:template:status', payload: { id: 'abc', status: 'APPROVED' } }],
    ['a JSON array', [1, 2, 3]],
  ])('%s → event.unrecognized with the body kept', (_label, payload) => {
    // Prepare
    const delivery = deliveryFactory({ body: payload });
    // Act
    const event = ofType(normalise(qikchat, delivery), 'event.unrecognized');
    // Assess
    expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
  });
});
