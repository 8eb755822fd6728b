import { describe, expect, it } from 'vitest';
import { LocalSettingError, localRetryPolicyFromEnv, localSqsEndpoint, localUrl, toolCommand } from '../../../dev/local/settings.js';
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
