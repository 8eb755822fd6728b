/** The `Host` rule of the local server: a loopback name with the port the request came in on, or nothing. */
import { describe, expect, it } from 'vitest';
import { loopbackOrigin } from '../../../dev/local/request-guard.js';

describe('loopbackOrigin', () => {
  it.each([
    ['127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['localhost:3000', 'http://localhost:3000'],
    ['LOCALHOST:3000', 'http://localhost:3000'],
    ['[::1]:3000', 'http://[::1]:3000'],
    ['127.255.0.9:3000', 'http://127.255.0.9:3000'],
  ])('takes %s as %s', (host, origin) => {
    expect(loopbackOrigin(host, 3000)).toBe(origin);
  });

  it('takes a Host without a port on port 80 only, and names that origin without it', () => {
    expect(loopbackOrigin('127.0.0.1', 80)).toBe('http://127.0.0.1');
    expect(loopbackOrigin('127.0.0.1:80', 80)).toBe('http://127.0.0.1');
    expect(loopbackOrigin('127.0.0.1', 3000)).toBeUndefined();
  });

  it.each([
    undefined,
    '',
    '127.0.0.1:3001',
    'rebind.attacker.test:3000',
    'localhost.attacker.test:3000',
    '127.0.0.1.nip.io:3000',
    'user@127.0.0.1:3000',
    '127.0.0.1:3000/x',
    '127.0.0.1 :3000',
    '127.1:3000',
    '127.0.0.01:3000',
    '127.0.0.256:3000',
    '0x7f.0.0.1:3000',
    '2130706433:3000',
    '0.0.0.0:3000',
    '[::]:3000',
    '[::ffff:127.0.0.1]:3000',
    '[0:0:0:0:0:0:0:1]:3000',
    'localhost.:3000',
  ])('refuses %s', (host) => {
    expect(loopbackOrigin(host, 3000)).toBeUndefined();
  });
});
