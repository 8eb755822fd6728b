import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import type { WebhookEvent } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { qiscusSdk } from '../../lib/providers/qiscus-sdk/index.js';
import type { WebhookDelivery } from '../../lib/providers/types.js';
import {
  MalformedSignatureError,
  MissingSignatureError,
  NoSecretConfiguredError,
  SignatureMismatchError,
  WebhookVerificationError,
} from '../../lib/verification/errors.js';
import {
  RECEIVED_AT,
  commentPayloadFactory,
  deliveryFactory,
  headersArbitrary,
  sampleBytes,
  sampleDelivery,
  sampleJson,
  sampleNames,
  sampleVariantArbitrary,
  signatureFixture,
  signedHeaders,
  withOneByteChanged,
} from './qiscus-fixtures.js';

const SLUG = 'qiscus-sdk';
const HEADER = 'QISCUS-SDK-SIGNATURE';

/** Normalises a delivery and checks the result against the event schema, as every consumer will. */
function normalise(delivery: WebhookDelivery): WebhookEvent {
  return WebhookEventSchema.parse(normaliseDelivery(qiscusSdk, delivery));
}

describe('qiscusSdk', () => {
  describe('definition', () => {
    it('names its secret, labels the development default as one, and takes no kind hints', () => {
      // Prepare / Act
      const { slug, secretEnv, developmentSecret, kinds } = qiscusSdk;
      // Assess
      expect(slug).toBe(SLUG);
      expect(secretEnv).toBe('QISCUS_SDK_SIGNATURE_TOKEN');
      expect(developmentSecret).toMatch(/^dev-only-/);
      expect(kinds).toEqual([]);
    });
  });

  describe('recognition of the documentation samples and variants', () => {
    it('post_comment_mobile (documentation sample) → message.received', () => {
      // Prepare
      const name = 'message';
      // Act
      const event = normalise(sampleDelivery(SLUG, name));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({
        conversationId: '1',
        channel: null,
        sender: { id: 'user1@gmail.com', name: 'User1', email: 'user1@gmail.com', role: null },
        message: { id: null, type: 'text', text: 'ini pesan' },
      });
      expect(event.data.raw).toEqual(sampleJson(SLUG, name));
      expect(event.source).toBe('/webhooks/qiscus-sdk');
      expect(event.provider).toBe(SLUG);
      expect(event.time).toBe(RECEIVED_AT.toISOString());
    });

    it('post_comment_rest with string ids, options as a JSON string and a message id → message.received', () => {
      // Prepare
      const name = 'post-comment-rest';
      // Act
      const event = normalise(sampleDelivery(SLUG, name));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({
        conversationId: '98765432',
        channel: null,
        sender: { id: 'guest@qiscus.com', name: 'Qiscus Demo' },
        message: { id: '2987123456', type: 'button', text: 'What would you like to do?' },
      });
      expect(event.id).toBe('qiscus-sdk:message:id:2987123456');
      expect(event.time).toBe('2024-06-01T10:00:00.000Z');
    });

    it('a public channel without participants → message.received', () => {
      // Prepare
      const name = 'public-channel';
      // Act
      const event = normalise(sampleDelivery(SLUG, name));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({
        conversationId: '55501234',
        sender: { id: 'ani@example.com', name: 'Ani' },
        message: { id: null, type: 'text', text: 'Selamat pagi semua!' },
      });
      expect(event.id).toBe('qiscus-sdk:message:temp:55501234:ani@example.com:bq1717236000042');
      expect(event.time).toBe('2024-06-01T10:00:00.000Z');
    });

    it('the comment type only inside payload → message.received', () => {
      // Prepare
      const { type, payload } = commentPayloadFactory({ type: 'post_comment_rest' }) as { type: string; payload: object };
      const body = { payload: { ...payload, type } };
      // Act
      const event = normalise(deliveryFactory({ body }));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({ conversationId: '178123456', channel: 'wa' });
    });

    it('ignores a kind hint', () => {
      // Prepare / Act
      const event = normalise(sampleDelivery(SLUG, 'message', { kindHint: 'new-session' }));
      // Assess
      expect(event.type).toBe('message.received');
    });

    it.each([
      { label: 'an Omnichannel mark-as-resolved payload', payload: sampleJson('qiscus-omnichannel', 'mark-as-resolved') },
      { label: 'a comment without any comment type', payload: { payload: (commentPayloadFactory() as { payload: object }).payload } },
      { label: 'a comment without a room', payload: { type: 'post_comment_mobile', payload: { from: {}, message: { type: 'text' } } } },
    ])('$label → event.unrecognized with the payload', ({ payload }) => {
      // Prepare / Act
      const event = normalise(deliveryFactory({ body: payload as object }));
      // Assess
      expect(event.type).toBe('event.unrecognized');
      expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
    });
  });

  describe('event ids', () => {
    it.each(['message', 'post-comment-rest', 'public-channel'])('the same delivery twice (%s) gets the same id', (name) => {
      // Prepare / Act
      const first = normalise(sampleDelivery(SLUG, name));
      const second = normalise(sampleDelivery(SLUG, name));
      // Assess
      expect(second.id).toBe(first.id);
    });

    it('two different messages with id 0 get different ids', () => {
      // Prepare
      const first = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo', timestamp: 1717236000 } });
      const second = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo', timestamp: 1717236001 } });
      // Act
      const ids = [normalise(deliveryFactory({ body: first })).id, normalise(deliveryFactory({ body: second })).id];
      // Assess
      expect(ids[0]).not.toBe(ids[1]);
    });
  });

  describe('verify', () => {
    const fixture = signatureFixture(SLUG);
    const { current, previous } = fixture.secrets;
    const body = sampleBytes(SLUG, 'message');
    const signature = signedHeaders(fixture, 'message', 'current')[HEADER] ?? '';

    it('accepts every sample signed with the current token', () => {
      for (const name of Object.keys(fixture.samples)) {
        // Prepare
        const delivery = sampleDelivery(SLUG, name, { headers: signedHeaders(fixture, name, 'current') });
        // Act / Assess
        expect(() => qiscusSdk.verify(delivery, [current]), name).not.toThrow();
      }
    });

    it('accepts a delivery signed with the previous token while both are configured', () => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: signedHeaders(fixture, 'message', 'previous') });
      // Act / Assess
      expect(() => qiscusSdk.verify(delivery, [current, previous])).not.toThrow();
    });

    it.each(['qiscus-sdk-signature', 'Qiscus-Sdk-Signature'])('accepts the header spelled %s', (name) => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [name]: signature } });
      // Act / Assess
      expect(() => qiscusSdk.verify(delivery, [current])).not.toThrow();
    });

    it('accepts the hex digest in upper case', () => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [HEADER]: signature.toUpperCase() } });
      // Act / Assess
      expect(() => qiscusSdk.verify(delivery, [current])).not.toThrow();
    });

    it.each([
      { label: 'a wrong token is configured', secrets: ['not-the-token'], headers: { [HEADER]: signature }, bytes: body },
      { label: 'one byte of the body changed', secrets: [current], headers: { [HEADER]: signature }, bytes: withOneByteChanged(body) },
      { label: 'signed with a token no longer configured', secrets: [current], headers: signedHeaders(fixture, 'message', 'previous'), bytes: body },
      { label: 'the digest is base64, not hex', secrets: [current], headers: { [HEADER]: Buffer.from(signature, 'hex').toString('base64') }, bytes: body },
      { label: 'the digest is cut short', secrets: [current], headers: { [HEADER]: signature.slice(0, 40) }, bytes: body },
    ])('rejects with signature_mismatch when $label', ({ secrets, headers, bytes }) => {
      // Prepare
      const delivery = deliveryFactory({ body: bytes, headers });
      // Act
      const act = () => qiscusSdk.verify(delivery, secrets);
      // Assess
      expect(act).toThrow(SignatureMismatchError);
      expect(act).toThrow(expect.objectContaining({ reason: 'signature_mismatch' }));
    });

    it('rejects with missing_signature when the header is absent (no token generated in Qiscus yet)', () => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { 'content-type': 'application/json' } });
      // Act
      const act = () => qiscusSdk.verify(delivery, [current]);
      // Assess
      expect(act).toThrow(MissingSignatureError);
      expect(act).toThrow(expect.objectContaining({ reason: 'missing_signature' }));
    });

    it.each([
      { label: 'twice in one array', headers: { [HEADER]: [signature, signature] } },
      { label: 'under two spellings', headers: { [HEADER]: signature, 'qiscus-sdk-signature': signature } },
    ])('rejects with malformed_signature when the header is sent $label', ({ headers }) => {
      // Prepare
      const delivery = deliveryFactory({ body, headers });
      // Act
      const act = () => qiscusSdk.verify(delivery, [current]);
      // Assess
      expect(act).toThrow(MalformedSignatureError);
      expect(act).toThrow(expect.objectContaining({ reason: 'malformed_signature' }));
    });

    it.each([{ secrets: [] }, { secrets: [''] }])('fails closed with no_secret_configured for $secrets', ({ secrets }) => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [HEADER]: signature } });
      // Act
      const act = () => qiscusSdk.verify(delivery, secrets);
      // Assess
      expect(act).toThrow(NoSecretConfiguredError);
      expect(act).toThrow(expect.objectContaining({ reason: 'no_secret_configured' }));
    });
  });

  describe('properties', () => {
    it.each(sampleNames(SLUG))('every near miss of the %s sample normalises to a valid event', (name) => {
      fc.assert(
        fc.property(sampleVariantArbitrary(sampleJson(SLUG, name)), fc.option(fc.string(), { nil: undefined }), (payload, kindHint) => {
          // Prepare
          const delivery = deliveryFactory({ body: JSON.stringify(payload), ...(kindHint === undefined ? {} : { kindHint }) });
          // Act: recognise alone, so that a throw is seen rather than caught by normaliseDelivery
          const recognise = () => qiscusSdk.recognise(payload, { kindHint });
          const event = normaliseDelivery(qiscusSdk, delivery);
          // Assess
          expect(recognise).not.toThrow();
          expect(WebhookEventSchema.safeParse(event).error).toBeUndefined();
        }),
      );
    });

    it('any JSON normalises to a valid event', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (payload) => {
          // Prepare
          const delivery = deliveryFactory({ body: JSON.stringify(payload) ?? 'null' });
          // Act
          const event = normaliseDelivery(qiscusSdk, delivery);
          // Assess
          expect(WebhookEventSchema.safeParse(event).error).toBeUndefined();
        }),
      );
    });

    it('any bytes, headers and secrets: verify returns or throws a WebhookVerificationError', () => {
      fc.assert(
        fc.property(fc.uint8Array(), headersArbitrary(HEADER), fc.array(fc.string(), { maxLength: 3 }), (body, headers, secrets) => {
          // Prepare
          const delivery = deliveryFactory({ body, headers });
          // Act
          let thrown: unknown;
          try {
            qiscusSdk.verify(delivery, secrets);
          } catch (error) {
            thrown = error;
          }
          // Assess
          expect(thrown === undefined || thrown instanceof WebhookVerificationError).toBe(true);
        }),
      );
    });
  });

  describe('sign', () => {
    it('produces the header openssl computed', () => {
      // Prepare
      const fixture = signatureFixture(SLUG);
      // Act
      const headers = qiscusSdk.sign(sampleBytes(SLUG, 'message'), fixture.secrets.current);
      // Assess
      expect(headers).toEqual(signedHeaders(fixture, 'message', 'current'));
    });
  });
});
