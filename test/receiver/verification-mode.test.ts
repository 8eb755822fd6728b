import { describe, expect, it } from 'vitest';
import { verificationMode } from '../../lib/receiver/verification-mode.js';

describe('verificationMode', () => {
  it('turns verification off for the exact word "disabled"', () => {
    // Act & Assess
    expect(verificationMode('disabled')).toBe('disabled');
  });

  // Regression: the value was trimmed and lower-cased, so " Disabled " turned checks off as well.
  it.each([' disabled', 'disabled ', 'disabled\n', 'Disabled', 'DISABLED', 'off', 'false', 'enforced', '', undefined])(
    'enforces verification for %j',
    (value) => {
      // Act & Assess
      expect(verificationMode(value)).toBe('enforced');
    },
  );
});
