/**
 * Log redaction. The gateway itself never logs headers or secrets; this is the net under that rule for
 * what a handler might log (a user's `logger.info(event)`) and for credentials inside provider payloads
 * (Qiscus sends an agent's `authentication_token` and `sdk_key` in the agent-allocation webhook).
 */
const SENSITIVE_KEY = /authorization|signature|secret|password|passwd|token|cookie|api[-_]?key|(^|[-_])(sdk|private)[-_]?key$/i;

/** The mark left where a value was redacted. */
export const REDACTED = '[REDACTED]';

/** Whether a key's value is hidden in logs. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** A `JSON.stringify` replacer (Powertools Logger's `jsonReplacerFn`) that hides the values of sensitive keys. */
export function redactSensitive(key: string, value: unknown): unknown {
  return key !== '' && value !== null && value !== undefined && isSensitiveKey(key) ? REDACTED : value;
}
