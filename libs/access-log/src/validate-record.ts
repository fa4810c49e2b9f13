import { AccessLogRecord, CANONICAL_TIMESTAMP, FieldErrors, REQUEST_ID_PATTERN } from './access-log-record.js';
import { canonicalTimestampMillis } from './canonical-timestamp.js';
import { checkDetails } from './check-details.js';
import { deriveRoute, stripQuery } from './derive-route.js';
import {
  MAX_API_KEY_ID_LENGTH,
  MAX_CLIENT_IP_LENGTH,
  MAX_DURATION_MS,
  MAX_ERROR_CODE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PATH_LENGTH,
  MAX_RETRY_AFTER_SECONDS,
  MAX_ROUTE_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from './record-limits.js';
import { isStorableText } from './storable-text.js';

export interface ValidationLimits {
  /** How far past `now` a timestamp may be (clock skew). */
  maxFutureSkewSeconds: number;
  /** How old a record may be; older ones would land in partitions retention drops. */
  maxAgeDays: number;
}

export type ValidationResult = { ok: true; record: AccessLogRecord } | { ok: false; details: FieldErrors };

// ASCII letters only: toUpperCase() of other letters can change the length ("ß" → "SS").
const METHOD = /^[A-Za-z]{3,10}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The problems of the record being checked, by field. validateRecord is synchronous and never re-entered,
 * so one slot serves every call, and a valid record (the usual case) allocates nothing for them.
 */
let problems: FieldErrors | undefined;

function fail(field: string, message: string): void {
  ((problems ??= {})[field] ??= []).push(message);
}

/** Validates and normalises one incoming record, collecting every field's problems at once. */
export function validateRecord(input: unknown, limits: ValidationLimits, now = new Date()): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, details: { record: ['must be a JSON object'] } };
  }
  const raw = input as Record<string, unknown>;
  problems = undefined;

  const requestId = raw.requestId;
  if (requestId === undefined || requestId === null) fail('requestId', 'is required');
  else if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) {
    fail('requestId', 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"');
  }

  const timestamp = checkTimestamp(raw.timestamp, limits, now);
  const method = checkMethod(raw.method);

  const path = raw.path;
  let pathValid = false;
  if (path === undefined || path === null) fail('path', 'is required');
  else if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_PATH_LENGTH || !isStorableText(path)) {
    fail('path', `must be a string starting with "/", at most ${MAX_PATH_LENGTH} characters, without NUL or unpaired surrogates`);
  } else pathValid = true;
  const strippedPath = pathValid ? stripQuery(path as string) : null;
  const route = checkRoute(raw, strippedPath);

  const status = raw.status;
  if (status === undefined || status === null) fail('status', 'is required');
  else if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
    fail('status', 'must be an integer from 100 to 599');
  }

  const durationMs = raw.durationMs;
  if (durationMs === undefined || durationMs === null) fail('durationMs', 'is required');
  else if (typeof durationMs !== 'number' || !(durationMs >= 0)) fail('durationMs', 'must be a number of milliseconds, 0 or more');
  else if (durationMs > MAX_DURATION_MS) fail('durationMs', `must be at most ${MAX_DURATION_MS} milliseconds (one day)`);

  const error = optionalText(raw.error, 'error', MAX_ERROR_CODE_LENGTH);
  const message = optionalText(raw.message, 'message', MAX_MESSAGE_LENGTH);
  const details = optionalDetails(raw.details);
  const retryAfter = checkRetryAfter(raw.retryAfter);
  const apiKeyId = optionalText(raw.apiKeyId, 'apiKeyId', MAX_API_KEY_ID_LENGTH);
  const clientIp = optionalText(raw.clientIp, 'clientIp', MAX_CLIENT_IP_LENGTH);
  const userAgent = optionalText(raw.userAgent, 'userAgent', MAX_USER_AGENT_LENGTH);

  // The slot is emptied at the next call's start: a rejected record's problems are handed over, never shared.
  if (problems !== undefined) return { ok: false, details: problems };
  return {
    ok: true,
    record: {
      requestId: requestId as string,
      timestamp: timestamp as string,
      method: method as string,
      path: strippedPath as string,
      route: route as string,
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

function checkTimestamp(value: unknown, limits: ValidationLimits, now: Date): string | null {
  if (value === undefined || value === null) return (fail('timestamp', 'is required'), null);
  if (typeof value !== 'string') return (fail('timestamp', 'must be an RFC 3339 date-time with a time zone'), null);
  // Most clients send toISOString()'s form: read digit by digit, it needs none of the checks below.
  let millis = canonicalTimestampMillis(value);
  const canonical = !Number.isNaN(millis);
  if (!canonical) {
    if (!RFC3339.test(value)) return (fail('timestamp', 'must be an RFC 3339 date-time with a time zone'), null);
    millis = Date.parse(value);
    // Date.parse alone would take 2026-02-30 as March 2nd and 24:00 as the next midnight.
    if (Number.isNaN(millis) || !isRealDateTime(value)) return (fail('timestamp', 'is not a real date-time'), null);
  }
  const nowMs = now.getTime();
  if (millis > nowMs + limits.maxFutureSkewSeconds * 1000) return (fail('timestamp', 'is in the future'), null);
  if (millis < nowMs - limits.maxAgeDays * 86_400_000) {
    return (fail('timestamp', `is older than the ${limits.maxAgeDays}-day ingest window`), null);
  }
  // Already the stored form (toISOString()'s, which most clients send): rebuilding it would cost more
  // than all the other checks of a record together.
  return canonical || CANONICAL_TIMESTAMP.test(value) ? value : new Date(millis).toISOString();
}

/** The date and time fields of an RFC 3339 string (already matched) name a real instant: no Feb 30, no hour 24. */
function isRealDateTime(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && Number(value.slice(11, 13)) <= 23 && Number(value.slice(14, 16)) <= 59
  );
}

/** The HTTP method, in upper case. */
function checkMethod(method: unknown): string | null {
  if (method === undefined || method === null) return (fail('method', 'is required'), null);
  if (typeof method !== 'string' || !METHOD.test(method)) return (fail('method', 'must be an HTTP method such as GET or POST'), null);
  return method.toUpperCase();
}

/**
 * The given route template without its query, or the one derived from the (valid, query-stripped) path;
 * either way an index key of bounded length.
 */
function checkRoute(raw: Record<string, unknown>, strippedPath: string | null): string | null {
  if (raw.route !== undefined && raw.route !== null) {
    const given = optionalText(raw.route, 'route', MAX_ROUTE_LENGTH);
    if (given !== null && !given.startsWith('/')) fail('route', 'must start with "/"');
    return given === null ? null : stripQuery(given);
  }
  if (strippedPath === null) return null;
  const derived = deriveRoute(strippedPath);
  // Derived, it can be longer than the path ("/1/2" → "/:id/:id"), and it is an index key like a given one.
  if (derived.length > MAX_ROUTE_LENGTH) {
    fail('path', `makes a route template longer than ${MAX_ROUTE_LENGTH} characters; send a "route" with it`);
  }
  return derived;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max || !isStorableText(value)) {
    fail(field, `must be a string of at most ${max} characters, without NUL characters or unpaired surrogates`);
    return null;
  }
  return value;
}

function optionalDetails(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') {
    fail('details', 'must be a JSON object or array');
    return null;
  }
  const checked = checkDetails(value);
  if (checked.ok) return checked.value;
  fail('details', checked.message);
  return null;
}

function checkRetryAfter(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_RETRY_AFTER_SECONDS) {
    fail('retryAfter', `must be a whole number of seconds from 0 to ${MAX_RETRY_AFTER_SECONDS}`);
    return null;
  }
  return value as number;
}
