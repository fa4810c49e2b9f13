import type { CandidateBuilder, CandidateFields } from './mapped-record.js';

type Field = keyof CandidateFields;

const INTEGER = /^\s*\d+\s*$/;
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Absent as the sources write it: a missing key, JSON null, an empty string (nginx's unset variable
 * under `escape=json`) or "-" (nginx's and Envoy's placeholder for a missing value).
 */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === '-';
}

/** A text field: absent stays absent, anything else goes to validation as it is. */
export function text(value: unknown): unknown {
  return isAbsent(value) ? undefined : value;
}

/** A whole number, given as a JSON number or a string of digits (sources log numbers as strings too). */
export function integer(value: unknown, field: Field, from: string, out: CandidateBuilder): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && INTEGER.test(value)) return Number(value);
  return out.fail(field, `must be a whole number (from "${from}")`);
}

/** A duration in milliseconds from a number (or numeric string) of `unit`s. */
export function duration(value: unknown, unit: 's' | 'ms', from: string, out: CandidateBuilder): number | undefined {
  if (isAbsent(value)) return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number))
    return out.fail('durationMs', `must be a number of ${unit === 's' ? 'seconds' : 'milliseconds'} (from "${from}")`);
  // Seconds with millisecond resolution (nginx's "0.123"): rounded to whole microseconds, not binary noise.
  return unit === 's' ? Math.round(number * 1_000_000) / 1000 : number;
}

/** An instant from milliseconds or seconds since the epoch (a number or numeric string), as ISO 8601. */
export function epochTimestamp(value: unknown, unit: 's' | 'ms', from: string, out: CandidateBuilder): string | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN;
  const date = new Date(unit === 's' ? number * 1000 : number);
  if (!Number.isFinite(number) || Number.isNaN(date.getTime())) {
    return out.fail('timestamp', `must be a time in ${unit === 's' ? 'seconds' : 'milliseconds'} since the epoch (from "${from}")`);
  }
  return date.toISOString();
}

/**
 * A Retry-After header value as seconds: delay-seconds as they are, an HTTP-date as the seconds from the
 * response's time (`at`) to it, rounded up, never below 0 (RFC 9110 §10.2.3 allows both forms).
 */
export function retryAfter(value: unknown, at: unknown, from: string, out: CandidateBuilder): number | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value === 'number' || INTEGER.test(String(value))) return integer(value, 'retryAfter', from, out);
  const date = typeof value === 'string' ? Date.parse(value) : NaN;
  const base = typeof at === 'string' ? Date.parse(at) : NaN;
  if (Number.isNaN(date) || Number.isNaN(base)) return out.fail('retryAfter', `must be seconds or an HTTP-date (from "${from}")`);
  return Math.max(0, Math.ceil((date - base) / 1000));
}
