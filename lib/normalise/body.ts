/** The body of a delivery after decoding: JSON when it parses, otherwise its text (or bytes, in base64). */
export type ParsedBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string; readonly encoding: 'utf8' | 'base64' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes a raw body for normalisation. Nothing is lost: a body that is not valid UTF-8 is kept as
 * base64 rather than decoded with replacement characters, which would change its bytes.
 */
export function parseBody(raw: Uint8Array): ParsedBody {
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    return { kind: 'text', text: Buffer.from(raw).toString('base64'), encoding: 'base64' };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'text', text, encoding: 'utf8' };
  }
}
