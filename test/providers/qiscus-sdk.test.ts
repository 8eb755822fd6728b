import { describe, expect, it } from 'vitest';
import { qiscusSdk } from '../../lib/providers/qiscus/sdk/index.js';
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
import { commentPayloadFactory } from './qiscus-fixtures.js';
import { devProvider } from '../../dev/providers.js';

const SLUG = 'qiscus-sdk';
const HEADER = 'QISCUS-SDK-SIGNATURE';

describe('qiscusSdk', () => {
  describe('definition', () => {
    it('names its secret, labels the development default as one, and takes no kind hints', () => {
      // Prepare / Act
      const { slug, kinds } = qiscusSdk;
      const { secretEnv, developmentSecret } = devProvider(slug);
      // Assess
      expect(slug).toBe(SLUG);
      expect(secretEnv).toBe('QISCUS_SDK_SIGNATURE_TOKEN');
      expect(developmentSecret).toMatch(/^dev-only-/);
      expect(kinds).toEqual([]);
    });
  });

  // The documentation samples: test/providers/golden.test.ts. Here, variants of them.
  describe('recognition of variants', () => {
    it('comment ids past 2^53 sent as JSON numbers without id_str get their own ids, digit for digit (regression: …993 and …992 were one)', () => {
      // Prepare: the body's text, since JSON.stringify of a JS number could not even write …993
      const bodyWith = (id: string): string =>
        JSON.stringify(commentPayloadFactory({ message: { id: 0, id_str: undefined } })).replace('"id":0,"type":"text"', `"id":${id},"type":"text"`);
      const texts = ['9007199254740993', '9007199254740992', '123456789012345678901234567890'].map(bodyWith);
      // Act
      const events = texts.map((body) => normalise(qiscusSdk, deliveryFactory({ body })));
      // Assess
      expect(events.map((event) => event.id)).toEqual([
        'qiscus-sdk:message:9007199254740993',
        'qiscus-sdk:message:9007199254740992',
        'qiscus-sdk:message:123456789012345678901234567890',
      ]);
      expect(events.map((event) => event.type === 'message.received' && event.data.message.id)).toEqual(['9007199254740993', '9007199254740992', '123456789012345678901234567890']);
      // data.raw keeps the number a number, with all its digits, on the wire
      expect(events.map((event) => JSON.stringify(event.data.raw))).toEqual(texts);
    });

    it('the comment type only inside payload → message.received', () => {
      // Prepare
      const { type, payload } = commentPayloadFactory({ type: 'post_comment_rest' }) as { type: string; payload: object };
      const body = { payload: { ...payload, type } };
      // Act
      const event = normalise(qiscusSdk, deliveryFactory({ body }));
      // Assess
      expect(event.type).toBe('message.received');
      expect(event.data).toMatchObject({ conversationId: '178123456', channel: 'wa' });
    });

    it('ignores a kind hint', () => {
      // Prepare / Act
      const event = normalise(qiscusSdk, sampleDelivery(SLUG, 'message', { kindHint: 'new-session' }));
      // Assess
      expect(event.type).toBe('message.received');
    });

    it.each([
      { label: 'an Omnichannel mark-as-resolved payload', payload: sampleJson('qiscus-omnichannel', 'mark-as-resolved') },
      { label: 'a comment without any comment type', payload: { payload: (commentPayloadFactory() as { payload: object }).payload } },
      { label: 'a comment without a room', payload: { type: 'post_comment_mobile', payload: { from: {}, message: { type: 'text' } } } },
    ])('$label → event.unrecognized with the payload', ({ payload }) => {
      // Prepare / Act
      const event = normalise(qiscusSdk, deliveryFactory({ body: payload as object }));
      // Assess
      expect(event.type).toBe('event.unrecognized');
      expect(event.data).toMatchObject({ reason: 'unknown_shape', raw: payload });
    });
  });

  describe('event ids', () => {
    it('two different messages with id 0 get different ids', () => {
      // Prepare
      const first = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo', timestamp: 1717236000 } });
      const second = commentPayloadFactory({ message: { id: 0, id_str: '0', text: 'Halo', timestamp: 1717236001 } });
      // Act
      const ids = [first, second].map((body) => normalise(qiscusSdk, deliveryFactory({ body })).id);
      // Assess
      expect(ids[0]).not.toBe(ids[1]);
    });
  });

  // What every provider's verify must do (rotation, header case, missing, duplicated, fail closed) is in verification.test.ts.
  describe('verify: the digest is hex', () => {
    const fixture = signatureFixture(SLUG);
    const { current } = fixture.secrets;
    const body = sampleBytes(SLUG, 'message');
    const signature = signatureValue(fixture, 'message', 'current', HEADER);

    it('accepts the hex digest in upper case', () => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [HEADER]: signature.toUpperCase() } });
      // Act
      const act = (): void => qiscusSdk.verify(delivery, [current]);
      // Assess
      expect(act).not.toThrow();
    });

    it.each([
      { label: 'the digest is base64, not hex', value: Buffer.from(signature, 'hex').toString('base64') },
      { label: 'the digest is cut short', value: signature.slice(0, 40) },
    ])('rejects with signature_mismatch when $label', ({ value }) => {
      // Prepare
      const delivery = deliveryFactory({ body, headers: { [HEADER]: value } });
      // Act
      const error = rejectionOf(qiscusSdk, delivery, [current]);
      // Assess
      expectRejected(error, SignatureMismatchError, 'signature_mismatch');
    });
  });
});
