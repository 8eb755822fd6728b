/**
 * Seconds to wait that a `Retry-After` header asks for: a number of seconds, or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable. Never negative.
 */
export function retryAfterSeconds(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP date names its day and month; Date.parse alone would take "-5" for a year.
  const date = /^[A-Za-z]{3}, /.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1_000));
}
