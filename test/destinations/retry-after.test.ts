import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../lib/destinations/circuit.js';
import { retryAfterSeconds } from '../../lib/destinations/retry-after.js';

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-12-07T04:00:00Z');
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Mon, 07 Dec 2026 04:00:30 GMT', 30],
    ['Mon, 07 Dec 2026 03:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j is %s seconds', (header, expected) => {
    // Act
    const seconds = retryAfterSeconds(header, now);

    // Assess
    expect(seconds).toBe(expected);
  });
});

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast during the cool-down, lets one trial through, and closes on its success', () => {
    // Prepare
    let now = 0;
    const circuit = new CircuitBreaker(3, 10_000, () => now);

    // Act and Assess: two failures and a success do not open it; three in a row do.
    circuit.failed();
    circuit.failed();
    circuit.succeeded();
    circuit.failed();
    circuit.failed();
    expect(circuit.tryAcquire()).toBe(true);
    circuit.failed();
    expect(circuit.state).toBe('open');
    expect(circuit.tryAcquire()).toBe(false);
    expect(circuit.retryAt()).toBe(10_000);

    // After the cool-down: one trial, the others held while it runs.
    now = 10_000;
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.tryAcquire()).toBe(false);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
    expect(circuit.tryAcquire()).toBe(true);
  });

  it('opens again at once when the trial fails', () => {
    // Prepare
    let now = 0;
    const circuit = new CircuitBreaker(1, 1_000, () => now);
    circuit.failed();
    now = 1_000;
    expect(circuit.tryAcquire()).toBe(true);

    // Act
    circuit.failed();

    // Assess
    expect(circuit.state).toBe('open');
    expect(circuit.tryAcquire()).toBe(false);
    expect(circuit.retryAt()).toBe(2_000);
  });
});
