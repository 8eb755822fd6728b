import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qiscusOmnichannel } from '../../lib/providers/qiscus/omnichannel/index.js';
import { mayBeNewSession, NewSessionSchema } from '../../lib/providers/qiscus/omnichannel/schemas.js';
import { SignatureMismatchError } from '../../lib/providers/kit/errors.js';
import {
  deliveryFactory,
  expectRejected,
  normalise,
  rejectionOf,
  sampleBytes,
  sampleDelivery,
  sampleJson,
  signatureFixture,
  signatureValue,
} from '../support/provider-fixtures.js';
import { mutatedSample, SAMPLES, sampleLikeValue } from '../support/arbitraries.js';
import { acceptedOrError, base64Spellings } from './base64-spellings.js';
import { commentPayloadFactory } from './qiscus-fixtures.js';
import { devProvider } from '../../dev/providers.js';
import { personalIdPart } from '../../lib/providers/kit/personal-id.js';

const SLUG = 'qiscus-omnichannel';

const HEADER = 'qiscus-signature-key';

describe('qiscusOmnichannel', () => {
  describe('definition', () => {
    it('names its secret and labels the development default as one', () => {
      // Prepare / Act
      const { slug } = qiscusOmnichannel;
      const { secretEnv, developmentSecret } = devProvider(slug);
      // Assess
      expect(slug).toBe(SLUG);
      expect(secretEnv).toBe('QISCUS_OMNICHANNEL_SECRET_KEY');
      expect(developmentSecret).toMatch(/^dev-only-/);
    });

    it('lists the six URL kind hints', () => {
      // Prepare / Act
      const { kinds } = qiscusOmnichannel;
      // Assess
      expect([...kinds].sort()).toEqual(
        ['agent-allocation', 'bot', 'custom-button', 'mark-as-resolved', 'new-session', 'user-logout'].sort(),
      );
    });
  });

  // The documentation samples: test/providers/golden.test.ts. Here, variants of them.
  describe('recognition of variants', () => {
    it('maps a numeric user type to its role when type_as_string is missing', () => {
      // Prepare
      const payload = { type: 'auth', payload: { action: 'logout', timestamp: 1669004271, user: { id: 9, name: 'S', type: 3 } } };
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body: payload }));
      // Assess
      expect(event.data).toMatchObject({ user: { id: '9', role: 'supervisor' } });
    });

    it('takes a new session\'s channel and room from room_log when the room says nothing', () => {
      // Prepare
      const payload = {
        webhook_type: 'NEW_SESSION_WEBHOOK',
        is_new_session: true,
        payload: { from: { id: 0, email: '6281', name: 'A' }, message: { id: 0, type: 'text', text: 'Hi' } },
        room_log: { room_id: '555', source: 'telegram', user_id: '6281', created_at: '2024-01-02T03:04:05' },
      };
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body: payload }));
      // Assess
      expect(event.type).toBe('conversation.started');
      expect(event.data).toMatchObject({ conversationId: '555', channel: 'telegram' });
      expect(event.time).toBe('2024-01-02T03:04:05.000Z');
    });

    it('accepts a room whose options string is not JSON, with no channel', () => {
      // Prepare
      const payload = commentPayloadFactory({ room: { options: '{not json' } });
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body: payload }));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data.channel).toBeNull();
    });
  });

  describe('message types of the bot webhook', () => {
    it.each([
      { qiscusType: 'text', payload: null, expected: 'text' },
      { qiscusType: 'reply', payload: { replied_comment_id: 17 }, expected: 'text' },
      { qiscusType: 'file_attachment', payload: { url: 'https://cdn.example/a/photo.JPG' }, expected: 'image' },
      { qiscusType: 'file_attachment', payload: { url: 'https://cdn.example/a/clip.mp4?x=1' }, expected: 'video' },
      { qiscusType: 'file_attachment', payload: { url: 'https://cdn.example/a/voice.ogg' }, expected: 'audio' },
      { qiscusType: 'file_attachment', payload: { url: 'https://cdn.example/a/x', file_name: 'cv.docx' }, expected: 'document' },
      { qiscusType: 'file_attachment', payload: { url: 'https://cdn.example/a/archive.zip' }, expected: 'file' },
      { qiscusType: 'buttons', payload: { buttons: [] }, expected: 'button' },
      { qiscusType: 'button_postback_response', payload: {}, expected: 'button' },
      { qiscusType: 'card', payload: {}, expected: 'card' },
      { qiscusType: 'carousel', payload: { cards: [] }, expected: 'carousel' },
      { qiscusType: 'custom', payload: { type: 'promo', content: {} }, expected: 'custom' },
      { qiscusType: 'location', payload: { latitude: -6.2, longitude: 106.8 }, expected: 'location' },
      { qiscusType: 'contact_person', payload: { name: 'A', value: '0812' }, expected: 'contacts' },
      { qiscusType: 'account_linking', payload: {}, expected: 'other' },
      { qiscusType: 'constructor', payload: {}, expected: 'other' },
      { qiscusType: 'sticker_v9', payload: {}, expected: 'other' },
    ])('$qiscusType ($payload) → $expected', ({ qiscusType, payload, expected }) => {
      // Prepare
      const body = commentPayloadFactory({ message: { type: qiscusType, text: 'Halo', payload } });
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body }));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({ message: { type: expected } });
    });

    it('reads a file URL from the "[file] ... [/file]" text when there is no payload', () => {
      // Prepare
      const body = commentPayloadFactory({
        message: { type: 'file_attachment', text: '[file] https://cdn.example/a/b.png [/file]', payload: null },
      });
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body }));
      // Assess
      expect(event.data).toMatchObject({
        message: { type: 'image', text: null, media: { url: 'https://cdn.example/a/b.png', caption: null } },
      });
    });

    it('prefers id_str to an id number too large for JSON', () => {
      // Prepare: JSON.parse rounds 1234567890123456789 to 1234567890123456800
      const body = '{"type":"post_comment_mobile","payload":{"from":{"email":"a"},"room":{"id":1},' +
        '"message":{"id":1234567890123456789,"id_str":"1234567890123456789","type":"text","text":"x"}}}';
      // Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body }));
      // Assess
      expect(event.data).toMatchObject({ message: { id: '1234567890123456789' } });
    });
  });

  describe('kind hints', () => {
    it.each([
      { name: 'message', hint: 'bot', type: 'message.received' },
      { name: 'new-session', hint: 'new-session', type: 'conversation.started' },
      { name: 'mark-as-resolved', hint: 'mark-as-resolved', type: 'conversation.resolved' },
      { name: 'agent-allocation', hint: 'agent-allocation', type: 'agent.allocation_requested' },
      { name: 'custom-button', hint: 'custom-button', type: 'custom_button.clicked' },
      { name: 'user-logout-agent', hint: 'user-logout', type: 'user.logged_out' },
    ])('$name with the hint "$hint" → $type', ({ name, hint, type }) => {
      // Prepare / Act
      const event = normalise(qiscusOmnichannel, sampleDelivery(SLUG, name, { kindHint: hint }));
      // Assess
      expect(event.type).toBe(type);
    });

    it.each(['user-logout', 'bot', 'no-such-kind', ''])('a wrong or unknown hint ("%s") never loses the event', (hint) => {
      // Prepare / Act
      const event = normalise(qiscusOmnichannel, sampleDelivery(SLUG, 'mark-as-resolved', { kindHint: hint }));
      // Assess
      expect(event.type).toBe('conversation.resolved');
    });

    it('a bot hint on a new-session payload still gives conversation.started', () => {
      // Prepare / Act
      const event = normalise(qiscusOmnichannel, sampleDelivery(SLUG, 'new-session', { kindHint: 'bot' }));
      // Assess
      expect(event.type).toBe('conversation.started');
    });

    it('settles a payload that fits two shapes, in any case', () => {
      // Prepare: both a mark-as-resolved and a custom-button payload
      const payload = {
        ...(sampleJson(SLUG, 'custom-button') as object),
        ...(sampleJson(SLUG, 'mark-as-resolved') as object),
      };
      // Act
      const unhinted = normalise(qiscusOmnichannel, deliveryFactory({ body: payload }));
      const hinted = normalise(qiscusOmnichannel, deliveryFactory({ body: payload, kindHint: 'Custom-Button' }));
      // Assess
      expect(unhinted.type).toBe('conversation.resolved');
      expect(hinted.type).toBe('custom_button.clicked');
    });
  });

  describe('unrecognised deliveries are kept', () => {
    it.each([
      { label: 'an unknown shape', payload: { hello: 'world' } },
      { label: 'an auth event that is not a logout', payload: { type: 'auth', payload: { action: 'login', user: { id: 1 } } } },
      { label: 'a comment with another type', payload: commentPayloadFactory({ type: 'post_comment_deleted' }) },
      { label: 'a JSON array', payload: [1, 2, 3] },
    ])('$label → event.unrecognized with the payload', ({ payload }) => {
      // Prepare / Act
      const event = normalise(qiscusOmnichannel, deliveryFactory({ body: payload, kindHint: 'bot' }));
      // Assess
      expect(event.type).toBe('event.unrecognized');
      expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
    });
  });

  describe('event ids', () => {
    it('two different messages with id 0 get different ids', () => {
      // Prepare
      const first = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo' } });
      const second = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo lagi' } });
      // Act
      const ids = [first, second].map((body) => normalise(qiscusOmnichannel, deliveryFactory({ body })).id);
      // Assess
      expect(ids[0]).not.toBe(ids[1]);
    });

    it('the bot webhook and the new session of one message get different ids', () => {
      // Prepare
      const message = { id: 1523487001, id_str: '1523487001', type: 'text', text: 'Halo' };
      const bot = commentPayloadFactory({ message });
      const newSession = { ...commentPayloadFactory({ message }), type: undefined, webhook_type: 'NEW_SESSION_WEBHOOK' };
      // Act
      const botEvent = normalise(qiscusOmnichannel, deliveryFactory({ body: bot }));
      const newSessionEvent = normalise(qiscusOmnichannel, deliveryFactory({ body: newSession }));
      // Assess
      expect(newSessionEvent.type).toBe('conversation.started');
      expect(botEvent.id).toBe('qiscus-omnichannel:message:1523487001');
      expect(newSessionEvent.id).toBe('qiscus-omnichannel:new-session:1523487001');
    });

    it('one unique_temp_id in two rooms gives two ids', () => {
      // Prepare: client-made temp ids come from the clock, so two customers can send the same one
      const message = { id: 0, unique_temp_id: 'bq1709626530123' };
      const inRoomA = commentPayloadFactory({ message, room: { id: '1', id_str: '1' } });
      const inRoomB = commentPayloadFactory({ message, room: { id: '2', id_str: '2' } });
      // Act
      const ids = [inRoomA, inRoomB].map((body) => normalise(qiscusOmnichannel, deliveryFactory({ body })).id);
      // Assess
      expect(ids).toEqual([
        `qiscus-omnichannel:message-temp:1:${personalIdPart('6281234567890')}:bq1709626530123`,
        `qiscus-omnichannel:message-temp:2:${personalIdPart('6281234567890')}:bq1709626530123`,
      ]);
    });
  });

  // What every provider's verify must do (rotation, header case, missing, duplicated, fail closed) is in verification.test.ts.
  describe('verify: the digest is base64', () => {
    const fixture = signatureFixture(SLUG);
    const { current } = fixture.secrets;
    const body = sampleBytes(SLUG, 'message');
    const signature = signatureValue(fixture, 'message', 'current', HEADER);

    it.each([
      { label: 'the digest is hex, not base64', value: Buffer.from(signature, 'base64').toString('hex') },
      { label: 'the digest is base64url', value: Buffer.from(signature, 'base64').toString('base64url') },
    ])('rejects with signature_mismatch when $label', ({ value }) => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [HEADER]: value } });
      // Act
      const error = rejectionOf(qiscusOmnichannel, delivery, [current]);
      // Assess
      expectRejected(error, SignatureMismatchError, 'signature_mismatch');
    });

    // Issue 22, point 5: four spellings of one signature were accepted; "one character changed" must be a 401.
    it('accepts only the canonical base64 of the digest, not the three spellings that differ in its spare bits', () => {
      // Prepare
      const [canonical = '', ...others] = base64Spellings(signature);
      const outcome = (value: string): unknown => acceptedOrError(() => qiscusOmnichannel.verify(deliveryFactory({ body, headers: { [HEADER]: value } }), [current]));
      // Act
      const accepted = outcome(canonical);
      const refused = others.map(outcome);
      // Assess
      expect(canonical).toBe(signature);
      expect(others).toHaveLength(3);
      expect(accepted).toBe('accepted');
      for (const error of refused) expectRejected(error, SignatureMismatchError, 'signature_mismatch');
    });
  });
});

describe('mayBeNewSession (the check before a new-session parse)', () => {
  const omnichannelSamples = SAMPLES.filter((sample) => sample.provider === SLUG).map((sample) => sample.value);

  it('never turns away a payload the new-session schema accepts (generated payloads, samples among them)', () => {
    // Prepare: random JSON trees on the samples' keys, the samples themselves, and new-session markers
    // placed on them, so that both outcomes of the schema are well represented.
    const marked = fc
      .tuple(
        fc.oneof(sampleLikeValue, mutatedSample, fc.constantFrom(...omnichannelSamples)),
        fc.record(
          { webhook_type: sampleLikeValue, is_new_session: fc.oneof(fc.boolean(), sampleLikeValue), room_log: sampleLikeValue },
          { requiredKeys: [] },
        ),
      )
      .map(([value, markers]) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, ...markers } : value));
    let accepted = 0;

    // Act / Assess: the check is a necessary condition of the schema.
    fc.assert(
      fc.property(fc.oneof(marked, sampleLikeValue), (payload) => {
        if (NewSessionSchema.safeParse(payload).success) {
          accepted++;
          expect(mayBeNewSession(payload)).toBe(true);
        }
      }),
      { numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('turns away the commonest delivery, a bot webhook, before any parsing', () => {
    // Prepare
    const botWebhook = sampleJson(SLUG, 'message');

    // Act
    const verdict = mayBeNewSession(botWebhook);

    // Assess
    expect(verdict).toBe(false);
  });
});
