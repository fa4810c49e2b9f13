import { AccessLogRecord, CANONICAL_TIMESTAMP, FieldErrors, REQUEST_ID_PATTERN } from './access-log-record.js';
import { deriveRoute, stripQuery } from './derive-route.js';

export interface ValidationLimits {
  /** How far past `now` a timestamp may be (clock skew). */
  maxFutureSkewSeconds: number;
  /** How old a record may be; older ones would land in partitions retention drops. */
  maxAgeDays: number;
}

export type ValidationResult = { ok: true; record: AccessLogRecord } | { ok: false; details: FieldErrors };

const METHOD = /^[A-Z]{3,10}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 2048;
const MAX_DETAILS_BYTES = 16 * 1024;
const UNSTORABLE_JSON = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;
// NUL and unpaired UTF-16 surrogates: Postgres text refuses the first, and the second would be stored
// as U+FFFD, i.e. not as sent. Found by the ingest fuzz test.
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Validates and normalises one incoming record, collecting every field's problems at once. */
export function validateRecord(input: unknown, limits: ValidationLimits, now = new Date()): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, details: { record: ['must be a JSON object'] } };
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => (errors[field] ??= []).push(message);

  const requestId = raw.requestId;
  if (requestId === undefined || requestId === null) fail('requestId', 'is required');
  else if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) {
    fail('requestId', 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"');
  }

  const timestamp = checkTimestamp(raw.timestamp, limits, now, fail);

  const method = raw.method;
  if (method === undefined || method === null) fail('method', 'is required');
  else if (typeof method !== 'string' || !METHOD.test(method.toUpperCase())) fail('method', 'must be an HTTP method such as GET or POST');

  const path = raw.path;
  if (path === undefined || path === null) fail('path', 'is required');
  else if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_TEXT || UNSTORABLE_TEXT.test(path)) {
    fail('path', `must be a string starting with "/", at most ${MAX_TEXT} characters, without NUL or unpaired surrogates`);
  }

  const route = optionalText(raw, 'route', fail, 512);
  if (route !== null && !route.startsWith('/')) fail('route', 'must start with "/"');

  const status = raw.status;
  if (status === undefined || status === null) fail('status', 'is required');
  else if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
    fail('status', 'must be an integer from 100 to 599');
  }

  const durationMs = raw.durationMs;
  if (durationMs === undefined || durationMs === null) fail('durationMs', 'is required');
  else if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
    fail('durationMs', 'must be a number of milliseconds, 0 or more');
  }

  const error = optionalText(raw, 'error', fail, 128);
  const message = optionalText(raw, 'message', fail, MAX_TEXT);
  const details = checkDetails(raw.details, fail);
  const retryAfter = checkRetryAfter(raw.retryAfter, fail);
  const apiKeyId = optionalText(raw, 'apiKeyId', fail, 128);
  const clientIp = optionalText(raw, 'clientIp', fail, 64);
  const userAgent = optionalText(raw, 'userAgent', fail, 512);

  if (Object.keys(errors).length > 0) return { ok: false, details: errors };
  const cleanPath = stripQuery(path as string);
  return {
    ok: true,
    record: {
      requestId: requestId as string,
      timestamp: timestamp as string,
      method: (method as string).toUpperCase(),
      path: cleanPath,
      route: route !== null ? stripQuery(route) : deriveRoute(cleanPath),
      status: status as number,
      durationMs: durationMs as number,
      error,
      message,
      details,
      retryAfter,
      apiKeyId,
      clientIp,
      userAgent,
    },
  };
}

function checkTimestamp(value: unknown, limits: ValidationLimits, now: Date, fail: (f: string, m: string) => void): string | null {
  if (value === undefined || value === null) return fail('timestamp', 'is required'), null;
  if (typeof value !== 'string' || !RFC3339.test(value)) return fail('timestamp', 'must be an RFC 3339 date-time with a time zone'), null;
  const millis = Date.parse(value);
  // Date.parse alone would take 2026-02-30 as March 2nd and 24:00 as the next midnight.
  if (Number.isNaN(millis) || !isRealDateTime(value)) return fail('timestamp', 'is not a real date-time'), null;
  if (millis > now.getTime() + limits.maxFutureSkewSeconds * 1000) return fail('timestamp', 'is in the future'), null;
  if (millis < now.getTime() - limits.maxAgeDays * 86_400_000) {
    return fail('timestamp', `is older than the ${limits.maxAgeDays}-day ingest window`), null;
  }
  // Already the stored form (toISOString()'s, which most clients send): rebuilding it would cost more
  // than all the other checks of a record together.
  return CANONICAL_TIMESTAMP.test(value) ? value : new Date(millis).toISOString();
}

/** The date and time fields of an RFC 3339 string (already matched) name a real instant: no Feb 30, no hour 24. */
function isRealDateTime(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && Number(value.slice(11, 13)) <= 23 && Number(value.slice(14, 16)) <= 59;
}

function optionalText(raw: Record<string, unknown>, field: string, fail: (f: string, m: string) => void, max: number): string | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max || UNSTORABLE_TEXT.test(value)) {
    fail(field, `must be a string of at most ${max} characters, without NUL characters or unpaired surrogates`);
    return null;
  }
  return value;
}

function checkDetails(value: unknown, fail: (f: string, m: string) => void): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') {
    fail('details', 'must be a JSON object or array');
    return null;
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    fail('details', 'is nested too deeply');
    return null;
  }
  if (json.length > MAX_DETAILS_BYTES) fail('details', `must be at most ${MAX_DETAILS_BYTES} bytes of JSON`);
  // Postgres jsonb refuses NUL and lone surrogates; JSON.stringify escapes exactly those as \u0000 / \udXXX,
  // so rejecting them here keeps a batch from failing in the worker forever.
  else if (UNSTORABLE_JSON.test(json)) fail('details', 'must not contain NUL characters or unpaired surrogates');
  return value;
}

function checkRetryAfter(value: unknown, fail: (f: string, m: string) => void): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 86_400) {
    fail('retryAfter', 'must be a whole number of seconds from 0 to 86400');
    return null;
  }
  return value as number;
}
