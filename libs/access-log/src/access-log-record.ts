/**
 * One access-log record as stored: a response the Verilock API sent, normalised by validation
 * (query string removed from `path`, `route` always set, `timestamp` as ISO 8601 UTC).
 * This is also the payload shape carried by queue jobs, so producer and worker share it.
 */
export interface AccessLogRecord {
  requestId: string;
  timestamp: string;
  method: string;
  path: string;
  route: string;
  status: number;
  durationMs: number;
  error: string | null;
  message: string | null;
  details: unknown;
  retryAfter: number | null;
  apiKeyId: string | null;
  clientIp: string | null;
  userAgent: string | null;
}

/** Per-field validation messages, the `details` shape of the conventions' 422 answer. */
export type FieldErrors = Record<string, string[]>;

/** The form a validated record's `timestamp` is in: what toISOString() gives (UTC, milliseconds). */
export const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
