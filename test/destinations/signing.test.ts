/** Standard Webhooks signing: the spec repository's test vector, and the reference library as an independent verifier. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { SigningSecretError, webhookHeaders, webhookSignature } from '../../lib/destinations/signing.js';

// From standard-webhooks/standard-webhooks (libraries/javascript/src/webhook.test.ts, "sign function works"; the same
// vector stands in the PHP, Python, Go, C# and Java tests): a TEST secret, not a credential.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const OTHER_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

describe('webhookSignature', () => {
  it("gives the spec's test vector", () => {
    // Act
    const signature = webhookSignature([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body);

    // Assess
    expect(signature).toBe(VECTOR.signature);
  });

  it('signs with both secrets during a rotation, space-separated; the reference library verifies with either', () => {
    // Prepare
    const timestamp = Math.floor(Date.now() / 1_000);
    const body = JSON.stringify({ id: 'evt-1', data: { text: 'hé ✓' } });

    // Act
    const headers = webhookHeaders([OTHER_SECRET, VECTOR.secret], 'evt-1', timestamp, body);

    // Assess
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(OTHER_SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(VECTOR.secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('takes the key without its whsec_ prefix too (the stack generates one so), as the reference library does', () => {
    // Prepare
    const bare = 'Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL';
    const timestamp = Math.floor(Date.now() / 1_000);

    // Act
    const headers = webhookHeaders([bare], 'evt-2', timestamp, '{"a":1}');

    // Assess
    expect(webhookSignature([`whsec_${bare}`], 'evt-2', timestamp, '{"a":1}')).toBe(headers['webhook-signature']);
    expect(new Webhook(`whsec_${bare}`).verify('{"a":1}', headers)).toEqual({ a: 1 });
  });

  it('does not verify once one byte of the body changed', () => {
    // Prepare
    const timestamp = Math.floor(Date.now() / 1_000);
    const headers = webhookHeaders([VECTOR.secret], 'evt-1', timestamp, '{"a":1}');

    // Act
    const verify = () => new Webhook(VECTOR.secret).verify('{"a":2}', headers);

    // Assess
    expect(verify).toThrow(/No matching signature/);
  });

  it.each([
    ['no secret at all', []],
    ['a key of the wrong length', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwA']],
    ['a key shorter than 24 bytes', ['whsec_c2hvcnQ=']],
    ['a key that is no base64', ['whsec_!!!!not base64 at all, not at all!!!!']],
  ])('refuses %s with one line that does not echo the secret', (_name, secrets) => {
    // Act
    const sign = () => webhookSignature(secrets, 'evt-1', 1, '{}');

    // Assess
    expect(sign).toThrow(SigningSecretError);
    try {
      sign();
    } catch (error) {
      for (const secret of secrets) expect((error as Error).message).not.toContain(secret.slice(6));
    }
  });
});
