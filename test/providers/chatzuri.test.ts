import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chatzuri } from '../../lib/providers/chatzuri/index.js';
import { SignatureMismatchError } from '../../lib/providers/kit/errors.js';
import {
  deliveryFactory,
  expectRejected,
  normalise,
  ofType,
  rejectionOf,
  sampleBytes,
  sampleDelivery,
  sampleJson,
  signatureFixture,
  signatureValue,
  signedHeaders,
  withChangedBytes,
} from '../support/provider-fixtures.js';

const SLUG = 'chatzuri';
const HEADER = 'x-chatzuri-signature';

/** The signature forms openssl recorded per sample (sign-samples.sh); never recomputed by the code under test. */
type SignatureForm = 'current' | 'previous' | 'currentSha256' | 'previousSha256' | 'currentCompactSha1';

const FIXTURE = signatureFixture<SignatureForm>(SLUG);
const { current: CURRENT, previous: PREVIOUS } = FIXTURE.secrets;

/** The recorded signature of a sample in one of its forms (the header value only). */
function signatureOf(form: SignatureForm, name = 'message-whatsapp'): string {
  return signatureValue(FIXTURE, name, form, HEADER);
}

// ---------------------------------------------------------------------------------------------------------
// Verification: Chatzuri's other signature forms (what every provider shares: verification.test.ts)
// ---------------------------------------------------------------------------------------------------------

describe('chatzuri.verify (x-chatzuri-signature)', () => {
  it('accepts the HMAC-SHA1 of the compact JSON.stringify form, as Chatzuri\'s sample code signs', () => {
    // Prepare: the sample is pretty-printed, so its raw bytes are not the compact form.
    const delivery = sampleDelivery(SLUG, 'lead-submit', { headers: signedHeaders(FIXTURE, 'lead-submit', 'currentCompactSha1') });
    // Act
    const act = (): void => chatzuri.verify(delivery, [CURRENT]);
    // Assess
    expect(signatureOf('currentCompactSha1', 'lead-submit')).not.toBe(signatureOf('current', 'lead-submit'));
    expect(act).not.toThrow();
  });

  it.each(['sha256=', 'SHA256='])('accepts the developer guide\'s form %s<hex HMAC-SHA256 of the raw body>', (prefix) => {
    // Prepare
    const signature = signatureOf('currentSha256').replace(/^sha256=/, prefix);
    const delivery = sampleDelivery(SLUG, 'message-whatsapp', { headers: { [HEADER]: signature } });
    // Act
    const act = (): void => chatzuri.verify(delivery, [CURRENT]);
    // Assess
    expect(act).not.toThrow();
  });

  it.each<SignatureForm>(['current', 'currentSha256', 'currentCompactSha1'])(
    'rejects a body with one changed byte (%s signature)',
    (form) => {
      // Prepare
      const body = withChangedBytes(sampleBytes(SLUG, 'message-whatsapp'), 'Hello', 'Jello');
      const delivery = deliveryFactory({ body, headers: { [HEADER]: signatureOf(form) } });
      // Act
      const error = rejectionOf(chatzuri, delivery, [CURRENT, PREVIOUS]);
      // Assess
      expectRejected(error, SignatureMismatchError, 'signature_mismatch');
    },
  );

  it.each([
    ['base64 where hex is expected', Buffer.from(signatureOf('current'), 'hex').toString('base64')],
    ['a SHA-1 value under sha256=', `sha256=${signatureOf('current')}`],
    ['a SHA-256 value without sha256=', signatureOf('currentSha256').replace(/^sha256=/, '')],
    ['an empty value after sha256=', 'sha256='],
    ['an unknown prefix', `sha1=${signatureOf('current')}`],
  ])('rejects %s as a mismatch', (_label, signature) => {
    // Prepare
    const delivery = sampleDelivery(SLUG, 'message-whatsapp', { headers: { [HEADER]: signature } });
    // Act
    const error = rejectionOf(chatzuri, delivery, [CURRENT, PREVIOUS]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('gives copies of one compact-signed body (whitespace, a trailing newline, an escape) one event id, the hash of what the signature covers (regression: four copies were four events)', () => {
    // Prepare: the sample as on disk is pretty-printed; the signature covers the compact form.
    const headers = signedHeaders(FIXTURE, 'lead-submit', 'currentCompactSha1');
    const compact = JSON.stringify(sampleJson(SLUG, 'lead-submit'));
    const copies = [
      Buffer.from(sampleBytes(SLUG, 'lead-submit')),
      Buffer.from(compact),
      Buffer.from(`${compact}\n`),
      Buffer.from(JSON.stringify(sampleJson(SLUG, 'lead-submit'), null, 4)),
      Buffer.from(compact.replace('"lead.submit"', '"l\\u0065ad.submit"')),
    ];
    // Act
    const ids = copies.map((body) => {
      const delivery = deliveryFactory({ body, headers });
      chatzuri.verify(delivery, [CURRENT]);
      return normalise(chatzuri, delivery).id;
    });
    // Assess
    expect(new Set(copies.map((body) => body.toString('utf8'))).size).toBe(copies.length);
    expect(new Set(ids)).toEqual(new Set([`chatzuri:sha256:lead.submitted:${createHash('sha256').update(compact).digest('hex')}`]));
  });

  it('refuses the compact form for a body with a number JSON.parse cannot hold, whose digits that signature does not cover', () => {
    // Prepare: Chatzuri's sample code would sign JSON.stringify(JSON.parse(body)), where both numbers read the same.
    const bodyWith = (digits: string): string => `{"eventType":"lead.submit","agentId":"a","payload":{"conversationId":"c","chatId":${digits}}}`;
    const signed = bodyWith('12345678901234567890');
    const compactSignature = createHmac('sha1', CURRENT).update(JSON.stringify(JSON.parse(signed))).digest('hex');
    const forged = deliveryFactory({ body: bodyWith('12345678901234567891'), headers: { [HEADER]: compactSignature } });
    // Act
    const error = rejectionOf(chatzuri, forged, [CURRENT]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('accepts such a body signed over its raw bytes, and keeps its digits', () => {
    // Prepare
    const body = '{"eventType":"lead.submit","agentId":"a","payload":{"conversationId":"c","chatId":12345678901234567891}}';
    const delivery = deliveryFactory({ body, headers: { [HEADER]: createHmac('sha1', CURRENT).update(body).digest('hex') } });
    // Act
    chatzuri.verify(delivery, [CURRENT]);
    const event = normalise(chatzuri, delivery);
    // Assess
    expect(JSON.stringify(event.data.raw)).toBe(body);
  });

  it.each([
    ['nested a million levels deep', `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`],
    ['with two hundred thousand keys', `{${Array.from({ length: 200_000 }, (_, index) => `"k${index}":0`).join(',')}}`],
  ])('turns away a body %s with a wrong signature as a mismatch, without overflowing the stack', (_name, body) => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: { [HEADER]: 'ab'.repeat(20) } });
    // Act
    const error = rejectionOf(chatzuri, delivery, [CURRENT]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('accepts the previous secret during a rotation in the sha256= form', () => {
    // Prepare
    const delivery = sampleDelivery(SLUG, 'message-whatsapp', { headers: signedHeaders(FIXTURE, 'message-whatsapp', 'previousSha256') });
    // Act
    const act = (): void => chatzuri.verify(delivery, [CURRENT, PREVIOUS]);
    // Assess
    expect(act).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: the Webhooks API page's envelope {eventType, agentId, channel?, payload}
// ---------------------------------------------------------------------------------------------------------

// Each sample, event by event (the six channels, leads, the guide's events): test/providers/golden.test.ts.
describe('chatzuri: message.received', () => {
  it('reads the documentation sample as published (WhatsApp)', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        eventType: 'message.received',
        channel: 'whatsapp',
        agentId: 'agent_abc123',
        payload: { from: '+1234567890', message: 'Hello, I need help with my order', conversationId: 'conv_xyz' },
      },
    });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'message.received');
    // Assess
    expect(event.data).toMatchObject({ conversationId: 'conv_xyz', channel: 'whatsapp', sender: { phone: '+1234567890' }, message: { text: 'Hello, I need help with my order' } });
  });

  it('never takes the business\'s own Facebook page for the sender', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { eventType: 'message.received', channel: 'facebook', agentId: 'a', payload: { pageId: 'fb_page_456', message: 'hi', conversationId: 'c' } } });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'message.received');
    // Assess
    expect(event.data.sender.id).toBeNull();
  });

  it('passes an undocumented channel through as sent', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { eventType: 'message.received', channel: 'sms', agentId: 'a', payload: { from: '+14155550123', message: 'hi', conversationId: 'c' } } });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'message.received');
    // Assess
    expect(event.data).toMatchObject({ channel: 'sms', sender: { id: '+14155550123' } });
  });

  it('keeps a message.received without a message as type other', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { eventType: 'message.received', channel: 'web', agentId: 'a', payload: { sessionId: 's', conversationId: 'c' } } });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'message.received');
    // Assess
    expect(event.data.message).toEqual({ id: null, type: 'other', text: null });
  });
});

describe('chatzuri: lead.submit / leads.submit → lead.submitted', () => {
  it('reads the documentation sample as published ("string" placeholders)', () => {
    // Prepare
    const delivery = deliveryFactory({
      body: {
        eventType: 'lead.submit',
        agentId: 'string',
        payload: { conversationId: 'string', customerEmail: 'string', customerName: 'string', customerPhone: 'string' },
      },
    });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'lead.submitted');
    // Assess
    expect(event.data).toMatchObject({ conversationId: 'string', channel: null, lead: { name: 'string', email: 'string', phone: 'string' } });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Recognition: the developer guide's envelope {event, timestamp, agent_id, data}
// ---------------------------------------------------------------------------------------------------------

describe('chatzuri: developer guide events', () => {
  it.each([
    ['lead.submit', 'lead.submitted'],
    ['leads.submit', 'lead.submitted'],
    ['message.received', 'message.received'],
    ['message.sent', 'message.sent'],
    ['conversation.started', 'conversation.started'],
    ['conversation.ended', 'conversation.ended'],
    ['feedback.submitted', 'feedback.submitted'],
    ['escalation.triggered', 'escalation.triggered'],
  ] as const)('maps a minimal envelope {event: %s} to %s', (name, type) => {
    // Prepare
    const bodies = [
      { event: name },
      { event: name, timestamp: '2024-05-14T10:00:00Z', agent_id: 'agent_1', data: {} },
      { event: name, data: null },
      { eventType: name, agentId: 'agent_1', payload: {} },
    ];
    // Act
    const events = bodies.map((body) => normalise(chatzuri, deliveryFactory({ body })));
    // Assess
    for (const event of events) {
      expect(event.type).toBe(type);
      expect(event.data).toMatchObject({ conversationId: null });
    }
  });

  it('accepts plausible variants: conversation_id, a message object, a person object, a numeric conversation id', () => {
    // Prepare
    const received = deliveryFactory({ body: { event: 'message.received', data: { conversation_id: 'conv_snake', message: { id: 'm1', content: 'hi there' }, user: { id: 'u1', name: 'Ana', email: 'ana@example.com' } } } });
    const started = deliveryFactory({ body: { event: 'conversation.started', data: { conversationId: 42, customer: { name: 'Ana' } } } });
    // Act
    const message = ofType(normalise(chatzuri, received), 'message.received');
    const conversation = ofType(normalise(chatzuri, started), 'conversation.started');
    // Assess
    expect(message.id).toBe('chatzuri:message.received:m1');
    expect(message.data).toMatchObject({ conversationId: 'conv_snake', message: { id: 'm1', text: 'hi there' }, sender: { id: 'u1', name: 'Ana', email: 'ana@example.com' } });
    expect(conversation.data).toMatchObject({ conversationId: '42', customer: { name: 'Ana' } });
  });

  it('keeps the type when a data field has an unexpected type, the field unknown', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { event: 'feedback.submitted', data: { conversationId: 'c', rating: { stars: 5 } } } });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'feedback.submitted');
    // Assess
    expect(event.data).toMatchObject({ rating: null, comment: null });
    expect(event.data.raw).toEqual({ event: 'feedback.submitted', data: { conversationId: 'c', rating: { stars: 5 } } });
  });

  it('takes an epoch timestamp as the event time', () => {
    // Prepare
    const delivery = deliveryFactory({ body: { event: 'conversation.ended', timestamp: 1715680803, data: { conversationId: 'c' } } });
    // Act
    const event = normalise(chatzuri, delivery);
    // Assess
    expect(event.time).toBe('2024-05-14T10:00:03.000Z');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Event ids and unknown shapes
// ---------------------------------------------------------------------------------------------------------

describe('chatzuri event ids', () => {
  it('gives different deliveries different ids', () => {
    // Prepare
    const samples = ['message-whatsapp', 'message-telegram', 'lead-submit', 'leads-submit', 'guide-conversation-ended'];
    // Act
    const ids = samples.map((sample) => normalise(chatzuri, sampleDelivery(SLUG, sample)).id);
    // Assess
    expect(new Set(ids).size).toBe(samples.length);
  });
});

describe('chatzuri: deliveries of no known shape', () => {
  it.each([
    ['an undocumented event name', { eventType: 'agent.updated', agentId: 'a', payload: {} }],
    ['an undocumented guide event', { event: 'lead.updated', data: {} }],
    ['an API envelope without payload', { eventType: 'lead.submit', agentId: 'a' }],
    ['another provider\'s shape', { type: 'message', payload: { text: 'hi' } }],
    ['a JSON string', 'lead.submit'],
  ])('%s → event.unrecognized with the body kept', (_label, payload) => {
    // Prepare: as JSON text, so that the JSON string stays a JSON string
    const delivery = deliveryFactory({ body: JSON.stringify(payload) });
    // Act
    const event = ofType(normalise(chatzuri, delivery), 'event.unrecognized');
    // Assess
    expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
  });
});
