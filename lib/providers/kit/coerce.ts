/**
 * Small, total conversions for provider payloads, whose real deliveries differ from their documentation:
 * ids as numbers or strings, options as objects or JSON strings, times as ISO strings or epoch integers.
 * Every function accepts `unknown` and never throws.
 */
import type { Participant } from '../../events/schema.js';

/** A plain JSON object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An object given either as an object or as a JSON-encoded string of one (Qiscus `room.options`). */
export function asRecordOrJson(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return asRecord(value);
  try {
    return asRecord(JSON.parse(value));
  } catch {
    return undefined;
  }
}

/** A non-blank string, or null. */
export function asText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** An id sent as a string or a number, as a string; null for anything else. */
export function asId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return asText(value);
}

/** Like {@link asId}, but a `0` id (Qiscus sends them, and they identify nothing) is null. */
export function asMeaningfulId(value: unknown): string | null {
  const id = asId(value);
  return id === null || /^0+$/.test(id) ? null : id;
}

/** 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write. */
const LATEST_RFC3339_MILLIS = 253_402_300_799_999;

// Provider times without a zone ("2019-02-04 04:49:47") are taken as UTC, which is what Qiscus uses.
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A time as an RFC 3339 string in UTC, from an ISO string, a zone-less date-time (taken as UTC) or an
 * epoch integer in seconds or milliseconds. Undefined when the value is no usable time, including times
 * before 1970 or after year 9999.
 */
export function asIsoTime(value: unknown): string | undefined {
  let millis: number;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    millis = value < 1e12 ? value * 1000 : value;
  } else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    // Epoch digits, as a string or as a number given as its text (see ExactJson.readable).
    if (/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return asIsoTime(Number(text));
    millis = Date.parse(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  } else {
    return undefined;
  }
  // RFC 3339 has four-digit years: after 9999 toISOString writes `+010000-...`, which no consumer (nor the
  // event schema) reads as a time, and beyond Date's own range it throws. Years before 1970 are implausible.
  if (!Number.isFinite(millis) || millis < 0 || millis > LATEST_RFC3339_MILLIS) return undefined;
  return new Date(millis).toISOString();
}

/** A participant with every field present (null where the provider says nothing). */
export function participant(fields: Partial<Participant>): Participant {
  return {
    id: fields.id ?? null,
    name: fields.name ?? null,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    role: fields.role ?? null,
  };
}
