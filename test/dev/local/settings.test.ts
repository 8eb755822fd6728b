import { describe, expect, it } from 'vitest';
import { localSqsEndpoint, localUrl, toolCommand } from '../../../dev/local/settings.js';

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
});
