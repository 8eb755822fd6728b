import { describe, expect, it } from 'vitest';
import { LocalSettingError, localHost, localLogLevel, localRetryPolicyFromEnv, localSqsEndpoint, localUrl, localVerificationMode } from '../../../dev/local/settings.js';
import { toolCommand } from '../../../dev/local/tool-command.js';
import { localRetryPolicy } from '../../../lib/parking/retry-policy.js';

describe('local settings', () => {
  it('gives the send command that reaches the runtime where it runs', () => {
    expect(toolCommand('http://127.0.0.1:3000', 'npm run send -- qikchat')).toBe('npm run send -- qikchat');
    expect(toolCommand('http://127.0.0.1:4000', 'npm run send -- qikchat')).toBe('PORT=4000 npm run send -- qikchat');
    expect(toolCommand('http://0.0.0.0:4000', 'npm run send -- qikchat')).toBe('PORT=4000 npm run send -- qikchat');
    expect(toolCommand('http://10.0.0.5:3000', 'npm run send -- qikchat')).toBe('SEND_URL=http://10.0.0.5:3000 npm run send -- qikchat');
  });

  it('takes SEND_URL before PORT for the local tools', () => {
    expect(localUrl({})).toBe('http://127.0.0.1:3000');
    expect(localUrl({ PORT: '4000' })).toBe('http://127.0.0.1:4000');
    expect(localUrl({ PORT: '4000', SEND_URL: 'http://192.168.1.2:5000/' })).toBe('http://192.168.1.2:5000');
  });

  it('takes SEND_URL only as an http(s) URL: without a scheme it would read as "nothing answers"', () => {
    for (const wrong of ['localhost:3000', '127.0.0.1:3000', 'ftp://host']) {
      expect(() => localUrl({ SEND_URL: wrong })).toThrow(new LocalSettingError(`SEND_URL must be an http(s) URL such as http://127.0.0.1:3000, not "${wrong}"`));
    }
  });

  it('takes HOST as a loopback address only (issue 22: not for the network)', () => {
    expect(localHost({})).toBe('127.0.0.1');
    expect(localHost({ HOST: '' })).toBe('127.0.0.1');
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(localHost({ HOST: host })).toBe(host);
    for (const wrong of ['0.0.0.0', '::', '192.168.1.10', 'devbox.internal', '999.1.1.1', '1.2.3', 'http://127.0.0.1', 'my host']) {
      expect(() => localHost({ HOST: wrong })).toThrow(
        new LocalSettingError(`HOST must be a loopback address, 127.0.0.1 (the default), ::1 or localhost: the local runtime is not for the network; not "${wrong}"`),
      );
    }
  });

  it('takes POWERTOOLS_LOG_LEVEL as one of the Powertools levels, in any case', () => {
    expect(localLogLevel(undefined)).toBe('INFO');
    expect(localLogLevel('debug')).toBe('DEBUG');
    expect(() => localLogLevel('LOUD')).toThrow(new LocalSettingError('POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, not "LOUD"'));
    expect(() => localLogLevel('verbose', '--log-level')).toThrow('--log-level must be one of');
  });

  it('takes <PROVIDER>_SIGNATURE_VERIFICATION as enforced or disabled, and nothing else', () => {
    const qikchat = { slug: 'qikchat' };
    expect(localVerificationMode(qikchat, {})).toBe('enforced');
    expect(localVerificationMode(qikchat, { QIKCHAT_SIGNATURE_VERIFICATION: 'enforced' })).toBe('enforced');
    expect(localVerificationMode(qikchat, { QIKCHAT_SIGNATURE_VERIFICATION: 'disabled' })).toBe('disabled');
    expect(localVerificationMode({ slug: 'qiscus-omnichannel' }, { QISCUS_OMNICHANNEL_SIGNATURE_VERIFICATION: 'disabled' })).toBe('disabled');
    for (const wrong of ['off', 'false', 'DISABLED', ' disabled']) {
      expect(() => localVerificationMode(qikchat, { QIKCHAT_SIGNATURE_VERIFICATION: wrong })).toThrow(
        new LocalSettingError(`QIKCHAT_SIGNATURE_VERIFICATION must be "enforced" or "disabled" (to accept unsigned deliveries), not "${wrong}"`),
      );
    }
  });

  it('takes SQS_ENDPOINT only as an http(s) URL', () => {
    expect(localSqsEndpoint({})).toBeUndefined();
    expect(localSqsEndpoint({ SQS_ENDPOINT: 'https://sqs.local:4566' })).toBe('https://sqs.local:4566');
    for (const wrong of ['localhost:4149', '127.0.0.1:4149', 'ftp://host', 'http//x']) {
      expect(() => localSqsEndpoint({ SQS_ENDPOINT: wrong })).toThrow(`SQS_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4149, not "${wrong}"`);
    }
  });

  it('takes the retry policy from the worker\'s variables over the local one, and names a variable it cannot use', () => {
    expect(localRetryPolicyFromEnv({})).toEqual(localRetryPolicy);
    expect(localRetryPolicyFromEnv({ RETRY_ATTEMPTS: '3', RETRY_FIRST_DELAY_SECONDS: '0.5' })).toMatchObject({ attempts: 3, firstDelaySeconds: 0.5, backoffRate: 2 });
    expect(() => localRetryPolicyFromEnv({ RETRY_ATTEMPTS: 'five' })).toThrow(LocalSettingError);
    expect(() => localRetryPolicyFromEnv({ RETRY_ATTEMPTS: 'five' })).toThrow('RETRY_ATTEMPTS must be a number, not "five"');
    expect(() => localRetryPolicyFromEnv({ RETRY_ATTEMPTS: '2.5' })).toThrow('RETRY_ATTEMPTS must be a whole number from 1 to 50, not 2.5');
    expect(() => localRetryPolicyFromEnv({ RETRY_BACKOFF_RATE: '0' })).toThrow('RETRY_BACKOFF_RATE must be a number from 1 to 10, not 0');
  });
});
