/**
 * Seconds to wait that a `Retry-After` header asks for: a number of seconds, or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable. Never negative.
 */
export function retryAfterSeconds(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1_000));
}
