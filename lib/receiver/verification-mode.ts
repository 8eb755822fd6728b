/** `disabled` turns signature checks off for one provider: explicit, documented, and warned about. */
export type VerificationMode = 'enforced' | 'disabled';

/**
 * Reads a verification setting (`SIGNATURE_VERIFICATION` in AWS, `<PROVIDER>_SIGNATURE_VERIFICATION`
 * locally): only the exact word `disabled` turns verification off; anything else (` disabled`, `DISABLED`,
 * `off`), or nothing, enforces it. Turning checks off is never the result of a guess.
 */
export function verificationMode(value: string | undefined): VerificationMode {
  return value === 'disabled' ? 'disabled' : 'enforced';
}
