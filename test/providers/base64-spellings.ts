/**
 * The other spellings of base64 text that decode to the same bytes (issue 22, point 5). The character before
 * the padding carries bits no byte uses: 2 before `=`, 4 before `==`. A canonical encoder writes them as zero;
 * a lenient decoder ignores them, so 4 (or 16) texts decode to one signature (or one Basic credential).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Every spelling of canonical base64 `text` that decodes to the same bytes, the text itself first: 1 without
 * padding, 4 with `=`, 16 with `==`.
 *
 * @example base64Spellings('QQ==') // ['QQ==', 'QR==', 'QS==', ..., 'Qf==']
 */
export function base64Spellings(text: string): string[] {
  const padding = text.length - text.replace(/=+$/, '').length;
  if (padding === 0) return [text];
  const at = text.length - padding - 1;
  const value = ALPHABET.indexOf(text.charAt(at));
  const spare = padding === 1 ? 2 : 4;
  return Array.from({ length: 1 << spare }, (_, bits) => `${text.slice(0, at)}${ALPHABET.charAt(value | bits)}${text.slice(at + 1)}`);
}

/** `'accepted'` when `verify` returns, else what it threw: what a verification made of one spelling. */
export function acceptedOrError(verify: () => void): unknown {
  try {
    verify();
    return 'accepted';
  } catch (error) {
    return error;
  }
}
