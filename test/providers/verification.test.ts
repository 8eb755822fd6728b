/**
 * What every provider's `verify` must do, whatever its scheme: one correctly signed fixture (openssl's, from
 * test/fixtures/signatures), then one thing broken per test. Each provider's own cases (Qiscus digests in the
 * wrong encoding, Qikchat's Basic scheme, Chatzuri's other signature forms) are in its own test file.
 */
import { describe, expect, it } from 'vitest';
import { chatzuri } from '../../lib/providers/chatzuri/index.js';
import { qikchat } from '../../lib/providers/qikchat/index.js';
import { qiscusOmnichannel } from '../../lib/providers/qiscus/omnichannel/index.js';
import { qiscusSdk } from '../../lib/providers/qiscus/sdk/index.js';
import type { ProviderDefinition } from '../../lib/providers/types.js';
import {
  MalformedSignatureError,
  MissingSignatureError,
  NoSecretConfiguredError,
  SignatureMismatchError,
} from '../../lib/providers/kit/errors.js';
import {
  deliveryFactory,
  expectRejected,
  rejectionOf,
  sampleBytes,
  sampleDelivery,
  signatureFixture,
  signatureValue,
  signedHeaders,
  withOneByteChanged,
} from '../support/provider-fixtures.js';
import { signDelivery } from '../../dev/providers.js';

interface VerificationCase {
  readonly provider: ProviderDefinition;
  /** The header the provider signs with, spelled as the provider sends it. */
  readonly header: string;
  /** The sample the single-delivery cases are built from. */
  readonly sample: string;
  /** A secret that signed none of the fixtures. */
  readonly wrongSecret: string;
  /** Whether the signature covers the body (an HMAC) or only the sender (Basic credentials, see qikchat.test.ts). */
  readonly coversBody: boolean;
}

const CASES: readonly VerificationCase[] = [
  { provider: qiscusOmnichannel, header: 'qiscus-signature-key', sample: 'message', wrongSecret: 'not-the-secret', coversBody: true },
  { provider: qiscusSdk, header: 'QISCUS-SDK-SIGNATURE', sample: 'message', wrongSecret: 'not-the-token', coversBody: true },
  { provider: qikchat, header: 'Authorization', sample: 'message-text', wrongSecret: 'gateway:some-other-password', coversBody: false },
  { provider: chatzuri, header: 'x-chatzuri-signature', sample: 'message-whatsapp', wrongSecret: 'some-other-secret', coversBody: true },
];

/** The header name in lower case, upper case and Title-Case, less the spelling it was given in. */
function otherSpellings(header: string): string[] {
  const title = header.toLowerCase().replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
  return [...new Set([header.toLowerCase(), header.toUpperCase(), title])].filter((spelling) => spelling !== header);
}

describe.each(CASES.map((testCase) => [testCase.provider.slug, testCase] as const))('%s.verify', (slug, testCase) => {
  const { provider, header, sample, wrongSecret, coversBody } = testCase;
  const fixture = signatureFixture(slug);
  const { current, previous } = fixture.secrets;
  const body = sampleBytes(slug, sample);
  const signature = signatureValue(fixture, sample, 'current', header);

  it.each(Object.keys(fixture.samples))('accepts the sample %s signed with the current secret, alone or beside the previous', (name) => {
    // Prepare
    const delivery = sampleDelivery(slug, name, { headers: signedHeaders(fixture, name, 'current') });
    // Act
    const alone = (): void => provider.verify(delivery, [current]);
    const besidePrevious = (): void => provider.verify(delivery, [current, previous]);
    // Assess
    expect(alone).not.toThrow();
    expect(besidePrevious).not.toThrow();
  });

  it('accepts a delivery signed with the previous secret while both are configured (rotation)', () => {
    // Prepare
    const delivery = sampleDelivery(slug, sample, { headers: signedHeaders(fixture, sample, 'previous') });
    // Act
    const act = (): void => provider.verify(delivery, [current, previous]);
    // Assess
    expect(act).not.toThrow();
  });

  it.each(otherSpellings(header))('accepts the header spelled %s', (spelling) => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: { [spelling]: signature } });
    // Act
    const act = (): void => provider.verify(delivery, [current]);
    // Assess
    expect(act).not.toThrow();
  });

  it('rejects with signature_mismatch when a wrong secret is configured', () => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: { [header]: signature } });
    // Act
    const error = rejectionOf(provider, delivery, [wrongSecret]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  it('rejects with signature_mismatch when signed with a secret no longer configured', () => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: signedHeaders(fixture, sample, 'previous') });
    // Act
    const error = rejectionOf(provider, delivery, [current]);
    // Assess
    expectRejected(error, SignatureMismatchError, 'signature_mismatch');
  });

  if (coversBody) {
    it('rejects with signature_mismatch when one byte of the body changed', () => {
      // Prepare
      const delivery = deliveryFactory({ body: withOneByteChanged(body), headers: { [header]: signature } });
      // Act
      const error = rejectionOf(provider, delivery, [current]);
      // Assess
      expectRejected(error, SignatureMismatchError, 'signature_mismatch');
    });
  }

  it('rejects with missing_signature when the header is absent', () => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: { 'content-type': 'application/json' } });
    // Act
    const error = rejectionOf(provider, delivery, [current]);
    // Assess
    expectRejected(error, MissingSignatureError, 'missing_signature');
  });

  it.each([
    { label: 'twice in one array', headers: { [header]: [signature, signature] } },
    ...otherSpellings(header).map((spelling) => ({
      label: `as ${header} and as ${spelling}`,
      headers: { [header]: signature, [spelling]: signature },
    })),
  ])('rejects with malformed_signature when the header is sent $label', ({ headers }) => {
    // Prepare
    const delivery = deliveryFactory({ body, headers });
    // Act
    const error = rejectionOf(provider, delivery, [current]);
    // Assess
    expectRejected(error, MalformedSignatureError, 'malformed_signature');
  });

  it.each([{ secrets: [] }, { secrets: [''] }])('fails closed with no_secret_configured for $secrets', ({ secrets }) => {
    // Prepare
    const delivery = deliveryFactory({ body, headers: { [header]: signature } });
    // Act
    const error = rejectionOf(provider, delivery, secrets);
    // Assess
    expectRejected(error, NoSecretConfiguredError, 'no_secret_configured');
  });

  it.each(Object.keys(fixture.samples))('signs the sample %s with the header openssl computed', (name) => {
    // Prepare
    const expected = signedHeaders(fixture, name, 'current');
    // Act
    const headers = signDelivery(provider, sampleBytes(slug, name), current);
    // Assess
    expect(headers).toEqual(expected);
  });
});
