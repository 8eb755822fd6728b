import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/observability/powertools.js';
import { REDACTED, redactSensitive } from '../../lib/observability/redact.js';
import { captureStdout } from '../support/capture-stdout.js';

describe('log redaction', () => {
  it('hides signature headers, credentials and tokens wherever they stand in a log line', async () => {
    // Prepare
    const logger = createLogger({ logLevel: 'INFO' });
    const secrets = ['Basic dXNlcjpwYXNz', 'c2lnbmF0dXJl', 'NlASwSIUnAqoTcFjYNBR', 'NZTGb', 'hunter2'];

    // Act
    const lines = await captureStdout(async () => {
      logger.info('a handler logged too much', {
        headers: { Authorization: secrets[0], 'qiscus-signature-key': secrets[1], 'content-type': 'application/json' },
        candidate_agent: { name: 'dewi', authentication_token: secrets[2], sdk_key: secrets[3] },
        password: secrets[4],
      });
    });

    // Assess
    const output = lines.join('\n');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain('application/json');
    expect(output).toContain('dewi');
    expect(output).toContain(REDACTED);
  });

  it('leaves ordinary keys alone, including a rejection reason that names a signature', () => {
    // Act & Assess
    expect(redactSensitive('reason', 'signature_mismatch')).toBe('signature_mismatch');
    expect(redactSensitive('verification', 'enforced')).toBe('enforced');
    expect(redactSensitive('x-chatzuri-signature', 'abc')).toBe(REDACTED);
  });
});
