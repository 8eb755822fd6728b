import { MalformedSignatureError, MissingSignatureError } from './errors.js';

/** Request headers as the receivers see them: any case, possibly several values joined or in an array. */
export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

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
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
  }
  if (values.length > 1) throw new MalformedSignatureError(name, 'sent more than once');
  const value = values[0]?.trim();
  if (value === undefined || value === '') throw new MissingSignatureError(name);
  return value;
}
