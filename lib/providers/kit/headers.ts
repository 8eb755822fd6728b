import type { Headers } from '../../events/delivery.js';
import { MalformedSignatureError, MissingSignatureError } from './errors.js';

/**
 * Reads one header by name, ignoring case, and insists that it was sent exactly once.
 *
 * A signature header sent twice is refused rather than guessed at: API Gateway joins repeated headers with
 * a comma and Node keeps them in an array, and either way we could not tell which value was meant.
 *
 * @throws MissingSignatureError when the header is absent or blank
 * @throws MalformedSignatureError when it appears more than once
 */
export function readSingleHeader(headers: Headers, name: string): string {
  const wanted = name.toLowerCase();
  // Counts the values instead of collecting them, and skips lower-casing names that already match: this runs
  // on every delivery, over every header API Gateway passes on.
  let first: string | undefined;
  let count = 0;
  for (const key in headers) {
    if (!Object.hasOwn(headers, key) || (key !== wanted && key.toLowerCase() !== wanted)) continue;
    const value = headers[key];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      if (count++ === 0) first = value;
    } else {
      for (const item of value) if (count++ === 0) first = item;
    }
  }
  if (count > 1) throw new MalformedSignatureError(name, 'sent more than once');
  const value = first?.trim();
  if (value === undefined || value === '') throw new MissingSignatureError(name);
  return value;
}
