/**
 * Issue 22: every server `npm start` runs listens on loopback only. Read from the kernel's own table of listening
 * sockets (/proc/net/tcp and tcp6): this workplace allows traffic to loopback addresses only, so the bind is
 * observed rather than probed from another address.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../dev/local/runtime.js';
import { startTestRuntime } from '../../support/local-runtime.js';

const LISTEN = '0A';

/** The local addresses (hex, as the kernel writes them) that listen on `port`. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === LISTEN && local?.endsWith(`:${hexPort}`)) addresses.push(local.slice(0, local.lastIndexOf(':')));
    }
  }
  return addresses;
}

/** 127.0.0.1 (`0100007F`, little-endian) and ::1 as the kernel writes them. */
const LOOPBACK = new Set(['0100007F', '00000000000000000000000001000000']);

describe.runIf(existsSync('/proc/net/tcp'))('the local runtime listens on loopback only', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.stop());

  it.each([
    ['the receivers and the console', () => runtime.url],
    ['the embedded SQS and S3 server (fauxqs)', () => runtime.sqsEndpoint],
    ['the embedded DynamoDB server (dynalite)', () => runtime.dynamoDbEndpoint],
  ])('%s', (_name, endpoint) => {
    // Act
    const addresses = listeningAddresses(Number(new URL(endpoint()).port));

    // Assess: something listens there, and only on loopback
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !LOOPBACK.has(address))).toEqual([]);
  });
});
