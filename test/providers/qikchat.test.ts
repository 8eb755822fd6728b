import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  WebhookEventSchema,
  type EventType,
  type MessageType,
  type WebhookEvent,
  type WebhookEventOf,
} from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { qikchat } from '../../lib/providers/qikchat/index.js';
import type { WebhookDelivery } from '../../lib/providers/types.js';
import {
  MalformedSignatureError,
  MissingSignatureError,
  NoSecretConfiguredError,
  SignatureMismatchError,
  type VerificationFailureReason,
} from '../../lib/verification/errors.js';
import type { Headers } from '../../lib/verification/headers.js';

// ---------------------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------------------

/** test/fixtures/signatures/qikchat.json, written by openssl (sign-samples.sh), never by the code under test. */
interface SignatureFixtures {
  readonly secrets: { readonly current: string; readonly previous: string };
  readonly samples: Readonly<Record<string, { readonly current: Headers; readonly previous: Headers }>>;
}

const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/signatures/qikchat.json', import.meta.url), 'utf8'),
) as SignatureFixtures;
const { current: CURRENT, previous: PREVIOUS } = fixtures.secrets;

const RECEIVED_AT = new Date('2024-05-14T12:00:00.000Z');
/** The customer of every sample: `message.from` of incoming messages, `from` of statuses. */
const CUSTOMER = '919812345678';

function sampleBody(name: string): Uint8Array {
  return readFileSync(new URL(`../../lib/providers/qikchat/samples/${name}.json`, import.meta.url));
}

function jsonBody(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function deliveryFactory(rawBody: Uint8Array, headers: Headers = {}, receivedAt = RECEIVED_AT): WebhookDelivery {
  return { rawBody, headers, receivedAt };
}

/** A sample with the headers openssl recorded for it, signed with the current (or previous) credentials. */
function signedDelivery(name = 'message-text', signedWith: 'current' | 'previous' = 'current'): WebhookDelivery {
  const signature = fixtures.samples[name]?.[signedWith];
  if (signature === undefined) throw new Error(`no fixture signature for ${name}`);
  return deliveryFactory(sampleBody(name), signature);
}

function authorizationOf(delivery: WebhookDelivery): string {
  const value = delivery.headers['Authorization'];
  if (typeof value !== 'string') throw new Error('fixture without an Authorization header');
  return value;
}

/** Normalises and validates against the event schema, as the receiver does. */
function normalise(rawBody: Uint8Array, receivedAt = RECEIVED_AT): WebhookEvent {
  return WebhookEventSchema.parse(normaliseDelivery(qikchat, deliveryFactory(rawBody, {}, receivedAt)));
}

function ofType<T extends EventType>(event: WebhookEvent, type: T): WebhookEventOf<T> {
  expect(event.type).toBe(type);
  return event as WebhookEventOf<T>;
}

function rejectionOf(delivery: WebhookDelivery, secrets: readonly string[]): unknown {
  try {
    qikchat.verify(delivery, secrets);
  } catch (error) {
    return error;
  }
  throw new Error('expected the delivery to be rejected');
}

function expectRejected(error: unknown, type: new (...args: never[]) => Error, reason: VerificationFailureReason): void {
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ reason });
}

// ---------------------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------------------

describe('qikchat.verify (Basic authentication)', () => {
  it('accepts the correctly signed fixture', () => {
    // Prepare
    const delivery = signedDelivery();
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT, PREVIOUS]);
    // Assess
    expect(act).not.toThrow();
  });

  it('accepts a password containing colons (RFC 7617: only the user-id may not contain one)', () => {
    // Prepare
    const [user, ...password] = CURRENT.split(':');
    const delivery = signedDelivery();
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(user).toBe('gateway');
    expect(password.length).toBeGreaterThan(1);
    expect(act).not.toThrow();
  });

  it('rejects the wrong credentials', () => {
    // Prepare
    const delivery = signedDelivery();
    // Act
    const error = rejectionOf(delivery, ['gateway:some-other-password']);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('rejects credentials with one changed byte', () => {
    // Prepare
    const header = authorizationOf(signedDelivery());
    const changed = header.replace(/[A-Za-z](?==*$)/, (c) => (c === 'A' ? 'B' : 'A'));
    const delivery = deliveryFactory(sampleBody('message-text'), { Authorization: changed });
    // Act
    const error = rejectionOf(delivery, [CURRENT, PREVIOUS]);
    // Assess
    expect(changed).not.toBe(header);
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('accepts a changed body: Basic credentials authenticate the sender, not the body', () => {
    // Prepare
    const body = Buffer.from(sampleBody('message-text'));
    body[body.indexOf('kurta')] = 'K'.charCodeAt(0);
    const delivery = deliveryFactory(body, signedDelivery().headers);
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(act).not.toThrow();
  });

  it('rejects a delivery without the Authorization header', () => {
    // Prepare
    const delivery = deliveryFactory(sampleBody('message-text'), { 'content-type': 'application/json' });
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expectRejected(error, MissingSignatureError, 'missing_signature');
  });

  it.each(['authorization', 'AUTHORIZATION'])('accepts the header name in another case (%s)', (name) => {
    // Prepare
    const delivery = deliveryFactory(sampleBody('message-text'), { [name]: authorizationOf(signedDelivery()) });
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT]);
    // Assess
    expect(act).not.toThrow();
  });

  it('accepts the scheme name in another case (RFC 7235: case-insensitive)', () => {
    // Prepare
    const header = authorizationOf(signedDelivery()).replace(/^Basic/, 'basic');
    const delivery = deliveryFactory(sampleBody('message-text'), { Authorization: header });
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
    const delivery = deliveryFactory(sampleBody('message-text'), { Authorization: header });
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('accepts the previous credentials during a rotation', () => {
    // Prepare
    const delivery = signedDelivery('message-text', 'previous');
    // Act
    const act = (): void => qikchat.verify(delivery, [CURRENT, PREVIOUS]);
    // Assess
    expect(act).not.toThrow();
  });

  it('rejects credentials that are no longer accepted (unknown secret)', () => {
    // Prepare
    const delivery = signedDelivery('message-text', 'previous');
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it.each([[[]], [['']]])('fails closed when no credentials are configured (%j)', (secrets) => {
    // Prepare
    const delivery = signedDelivery();
    // Act
    const error = rejectionOf(delivery, secrets);
    // Assess
    expectRejected(error, NoSecretConfiguredError, 'no_secret_configured');
  });

  it.each([
    ['two header names differing in case', (h: string): Headers => ({ Authorization: h, authorization: h })],
    ['two values in an array', (h: string): Headers => ({ authorization: [h, h] })],
  ])('refuses a duplicated header (%s)', (_label, headersOf) => {
    // Prepare
    const delivery = deliveryFactory(sampleBody('message-text'), headersOf(authorizationOf(signedDelivery())));
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expectRejected(error, MalformedSignatureError, 'malformed_signature');
  });

  it.each([
    ['the Bearer scheme', `Bearer ${Buffer.from(CURRENT).toString('base64')}`],
    ['a scheme without credentials', 'Basic'],
    ['credentials without a scheme', Buffer.from(CURRENT).toString('base64')],
  ])('refuses a header that is not "Basic <credentials>" (%s)', (_label, header) => {
    // Prepare
    const delivery = deliveryFactory(sampleBody('message-text'), { Authorization: header });
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expectRejected(error, MalformedSignatureError, 'malformed_signature');
  });

  it('never puts the credentials into the error message', () => {
    // Prepare
    const delivery = deliveryFactory(sampleBody('message-text'), { Authorization: `Bearer ${CURRENT}` });
    // Act
    const error = rejectionOf(delivery, [CURRENT]);
    // Assess
    expect(String(error)).not.toContain(CURRENT);
  });

  it('signs as Qikchat does: the header openssl recorded', () => {
    // Prepare
    const expected = signedDelivery().headers;
    // Act
    const headers = qikchat.sign(sampleBody('message-text'), CURRENT);
    // Assess
    expect(headers).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: whatsapp:message:in → message.received
// ---------------------------------------------------------------------------------------------------------

interface IncomingCase {
  readonly sample: string;
  readonly messageId: string;
  readonly type: MessageType;
  readonly text: string | null;
  readonly media?: Record<string, string | null>;
}

const INCOMING: readonly IncomingCase[] = [
  { sample: 'message-text', messageId: '52JH6WmuSruAVyXvBBYemd0Ia', type: 'text', text: 'Hi, is the blue kurta still available in size M?' },
  {
    sample: 'message-image', messageId: '7Kq2LbXw9TzRfPa4NcVd1HsYe', type: 'image', text: 'This is the one I mean',
    media: { id: '1104563920875521', mimeType: 'image/jpeg', caption: 'This is the one I mean', fileName: null, url: 'https://media.qikchat.in/whatsapp/media/1104563920875521.jpeg' },
  },
  { sample: 'message-video', messageId: 'Vd3PxQ8mKs1LwZr6TyBn0GhUa', type: 'video', text: null, media: { id: '887120345612098', mimeType: 'video/mp4', caption: null } },
  { sample: 'message-audio', messageId: 'Au9RtY2kLm4NpQ7sXv1WzB3Cd', type: 'audio', text: null, media: { mimeType: 'audio/ogg; codecs=opus' } },
  { sample: 'message-sticker', messageId: 'St5GhJ8kLp2QwEr6TyUi9OpAs', type: 'sticker', text: null, media: { mimeType: 'image/webp' } },
  {
    sample: 'message-document', messageId: 'Dc4MnB7vCx1ZlKj9HgFd2SaQw', type: 'document', text: 'Invoice for order 4471',
    media: { fileName: 'invoice-INV-20240514.pdf', caption: 'Invoice for order 4471', mimeType: 'application/pdf', sha256: 'zX8cV5bN2mL7kJ4hG1fD9sA6pO3iU0yT5rE2wQ8eR1t=' },
  },
  { sample: 'message-location', messageId: 'Lc8QwErT2yUi5OpAs1DfGh7Jk', type: 'location', text: null },
  { sample: 'message-contacts', messageId: 'Ct6ZxCv9BnM2lKj5HgF8dSa1Q', type: 'contacts', text: null },
  { sample: 'message-interactive-button-reply', messageId: 'Ib2NmQ5wEr8TyU1iOp4AsDf7G', type: 'interactive', text: 'Confirm order' },
  { sample: 'message-interactive-list-reply', messageId: 'Il7KjH1gFd4SaQ9wEr2TyU5iO', type: 'interactive', text: 'Wed 15 May, 10:30' },
  { sample: 'message-reaction', messageId: 'Rx3PlO6kIj9UhY2gTf5RdE8sW', type: 'reaction', text: '👍' },
  { sample: 'message-button', messageId: 'Bt1QaZ4wSx7EdC0rFv3TgB6yH', type: 'button', text: 'Track my order' },
  { sample: 'message-unsupported', messageId: 'Un5YhN8uJm1IkO4lP7oQ0wEr2', type: 'other', text: null },
];

describe('qikchat: whatsapp:message:in → message.received', () => {
  it.each(INCOMING)('$sample → message.received, message type $type', ({ sample, messageId, type, text, media }) => {
    // Prepare
    const body = sampleBody(sample);
    // Act
    const event = ofType(normalise(body), 'message.received');
    // Assess
    expect(event.id).toBe(`qikchat:in:${messageId}`);
    expect(event.subject).toBe(CUSTOMER);
    expect(event.provider).toBe('qikchat');
    expect(event.data.conversationId).toBe(CUSTOMER);
    expect(event.data.channel).toBe('whatsapp');
    expect(event.data.sender).toEqual({ id: CUSTOMER, phone: CUSTOMER, name: 'Siva Kumar', email: null, role: 'customer' });
    expect(event.data.message).toMatchObject({ id: messageId, type, text });
    if (media) expect(event.data.message.media).toMatchObject(media);
    else expect(event.data.message.media).toBeUndefined();
    expect(event.data.raw).toEqual(JSON.parse(Buffer.from(body).toString('utf8')));
  });

  it('takes the time from message.timestamp', () => {
    // Prepare
    const body = sampleBody('message-text');
    // Act
    const event = normalise(body);
    // Assess
    expect(event.time).toBe('2024-05-14T09:12:05.000Z');
  });

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
    const textEvent = ofType(normalise(jsonBody(text)), 'message.received');
    const mediaEvent = ofType(normalise(jsonBody(media)), 'message.received');
    // Assess
    expect(textEvent.data).toMatchObject({ conversationId: '9184XXXXXXX', sender: { name: 'Siva' }, message: { type: 'text', text: 'I want this product' } });
    expect(textEvent.time).toBe('2022-02-15T11:30:35.000Z');
    expect(mediaEvent.data.message).toMatchObject({ type: 'image', text: null, media: { id: 'id', url: 'media-url', mimeType: 'image/jpeg', sha256: 'sha256' } });
  });

  it('accepts variants: a numeric sender, no contacts, no channel name, an epoch timestamp', () => {
    // Prepare
    const body = jsonBody({
      event: 'whatsapp:message:in',
      payload: { id: 'Nq1Wm2Ex3Rc4Tv5Yb6Un7Im8O', message: { from: 919812345678, timestamp: 1715677925, type: 'text', text: { body: 'hello' } } },
    });
    // Act
    const event = ofType(normalise(body), 'message.received');
    // Assess
    expect(event.data).toMatchObject({ conversationId: CUSTOMER, channel: 'whatsapp', sender: { id: CUSTOMER, name: null } });
    expect(event.time).toBe('2024-05-14T09:12:05.000Z');
  });

  it('keeps a message whose content does not match its type, with its text unknown', () => {
    // Prepare
    const body = jsonBody({
      event: 'whatsapp:message:in',
      payload: { id: 'Xy1Zw2Vu3Ts4Rq5Po6Nm7Lk8J', message: { from: CUSTOMER, type: 'text', text: 'not an object' } },
    });
    // Act
    const event = ofType(normalise(body), 'message.received');
    // Assess
    expect(event.data.message).toMatchObject({ type: 'text', text: null });
  });

  it.each(['order', 'system', 'request_welcome'])('maps the unknown message type %s to other', (type) => {
    // Prepare
    const body = jsonBody({ event: 'whatsapp:message:in', payload: { id: `id-${type}`, message: { from: CUSTOMER, type, [type]: {} } } });
    // Act
    const event = ofType(normalise(body), 'message.received');
    // Assess
    expect(event.data.message).toEqual({ id: `id-${type}`, type: 'other', text: null });
  });

  it('treats a removed reaction (empty emoji) as a reaction without text', () => {
    // Prepare
    const body = jsonBody({
      event: 'whatsapp:message:in',
      payload: { id: 'Rm0Rv1Ed2Re3Ac4Ti5On6Xy7Z', message: { from: CUSTOMER, type: 'reaction', reaction: { message_id: 'gBGGkZhAJnY4Tq8vRm2XcWp1L', emoji: '' } } },
    });
    // Act
    const event = ofType(normalise(body), 'message.received');
    // Assess
    expect(event.data.message).toMatchObject({ type: 'reaction', text: null });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: whatsapp:message:status → message.status_updated
// ---------------------------------------------------------------------------------------------------------

const SENT_MESSAGE_ID = 'gBGGkZhAJnY4Tq8vRm2XcWp1L';

describe('qikchat: whatsapp:message:status → message.status_updated', () => {
  it.each([
    ['status-sent', 'sent', SENT_MESSAGE_ID],
    ['status-delivered', 'delivered', SENT_MESSAGE_ID],
    ['status-read', 'read', SENT_MESSAGE_ID],
    ['status-failed', 'failed', 'wF9sD2fG5hJ8kL1zX4cV7bN0m'],
  ])('%s → status %s', (sample, status, messageId) => {
    // Prepare
    const body = sampleBody(sample);
    // Act
    const event = ofType(normalise(body), 'message.status_updated');
    // Assess
    expect(event.id).toBe(`qikchat:${messageId}:${status}`);
    expect(event.subject).toBe(CUSTOMER);
    expect(event.data).toMatchObject({ status, messageId, recipient: CUSTOMER, conversationId: CUSTOMER, channel: 'whatsapp' });
  });

  it('puts a status in the same conversation as the customer\'s incoming messages (one FIFO group)', () => {
    // Prepare
    const incoming = sampleBody('message-text');
    const status = sampleBody('status-read');
    // Act
    const [message, receipt] = [normalise(incoming), normalise(status)];
    // Assess
    expect(receipt.subject).toBe(message.subject);
    expect(receipt.data.conversationId).toBe(message.data.conversationId);
  });

  it('reads the documentation sample (trailing commas removed)', () => {
    // Prepare
    const body = jsonBody({
      event: 'whatsapp:message:status',
      payload: { id: '52JH6WmuSruAVyXvBBYemd0Ia', name: 'whatsapp', from: '918080808080', to: '+91790XXXXXXX', status: 'read', timestamp: '2022-02-15T11:30:35.000Z' },
    });
    // Act
    const event = ofType(normalise(body), 'message.status_updated');
    // Assess
    expect(event.data).toMatchObject({ status: 'read', messageId: '52JH6WmuSruAVyXvBBYemd0Ia', conversationId: '918080808080' });
    expect(event.time).toBe('2022-02-15T11:30:35.000Z');
  });

  it.each(['deleted', 'pending', 'DELIVERED'])('passes the status %s through as sent', (status) => {
    // Prepare
    const body = jsonBody({ event: 'whatsapp:message:status', payload: { id: SENT_MESSAGE_ID, from: CUSTOMER, to: '+917901234567', status } });
    // Act
    const event = ofType(normalise(body), 'message.status_updated');
    // Assess
    expect(event.data.status).toBe(status);
  });

  it('falls back to the received time when the status has no timestamp', () => {
    // Prepare
    const body = jsonBody({ event: 'whatsapp:message:status', payload: { id: SENT_MESSAGE_ID, from: CUSTOMER, status: 'sent' } });
    // Act
    const event = normalise(body);
    // Assess
    expect(event.time).toBe(RECEIVED_AT.toISOString());
  });
});

// ---------------------------------------------------------------------------------------------------------
// Event ids
// ---------------------------------------------------------------------------------------------------------

describe('qikchat event ids', () => {
  it('gives the same delivery sent twice the same id', () => {
    // Prepare
    const body = sampleBody('message-image');
    // Act
    const first = normalise(body, new Date('2024-05-14T12:00:00.000Z'));
    const retry = normalise(body, new Date('2024-05-14T12:00:05.000Z'));
    // Assess
    expect(retry.id).toBe(first.id);
  });

  it('gives the sent, delivered and read callbacks of one message three different ids', () => {
    // Prepare
    const samples = ['status-sent', 'status-delivered', 'status-read'];
    // Act
    const ids = samples.map((sample) => normalise(sampleBody(sample)).id);
    // Assess
    expect(new Set(ids).size).toBe(3);
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
    const body = jsonBody(payload);
    // Act
    const event = ofType(normalise(body), 'event.unrecognized');
    // Assess
    expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
  });

  it('keeps a body that is not JSON as event.unrecognized', () => {
    // Prepare
    const body = Buffer.from('event=whatsapp:message:in', 'utf8');
    // Act
    const event = ofType(normalise(body), 'event.unrecognized');
    // Assess
    expect(event.data).toMatchObject({ reason: 'not_json', raw: 'event=whatsapp:message:in' });
  });
});
