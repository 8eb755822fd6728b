/**
 * Credentials some providers put inside their payloads. The archive keeps every event for a year and is read
 * by people and by Athena: these values are replaced with {@link REDACTED} there, while the event handed to
 * handlers keeps them.
 */
import { isRawJsonNumber } from '../providers/kit/exact-json.js';
import { REDACTED } from '../observability/redact.js';

/**
 * The keys redacted in `data.raw`, per provider slug, at any depth (the same user record appears under
 * several parents). Qiscus agent allocation carries `candidate_agent.authentication_token`, `sdk_key`,
 * `qismo_key` and `direct_login_token`; Qiscus user records (logout, agent) carry `sdk_key`.
 */
export const ARCHIVE_REDACTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'qiscus-omnichannel': ['authentication_token', 'sdk_key', 'qismo_key', 'direct_login_token'],
  'qiscus-sdk': ['authentication_token', 'sdk_key', 'qismo_key', 'direct_login_token'],
  qikchat: [],
  chatzuri: [],
};

function redactValue(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => redactValue(item, keys));
  // Exact numbers (`JSON.rawJSON`) are frozen objects written verbatim: kept as they are.
  if (value === null || typeof value !== 'object' || isRawJsonNumber(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key named `__proto__` is data here, as it was in the payload.
    Object.defineProperty(copy, key, {
      value: keys.has(key) && item !== null ? REDACTED : redactValue(item, keys),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * A copy of a provider's payload with its listed credentials replaced by `[REDACTED]` (a null stays null);
 * the payload itself is not changed.
 *
 * @example redactPayload('qiscus-omnichannel', { candidate_agent: { sdk_key: 'k' } }) // { candidate_agent: { sdk_key: '[REDACTED]' } }
 */
export function redactPayload(provider: string, raw: unknown): unknown {
  const keys = ARCHIVE_REDACTED_KEYS[provider];
  if (!keys || keys.length === 0) return raw;
  return redactValue(raw, new Set(keys));
}
