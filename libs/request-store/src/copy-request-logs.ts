import type { AccessLogRecord } from '#libs/access-log';
import { WRITTEN_COLUMNS } from './written-columns.js';

/** COPY's text format into request_logs; copyRows writes each line's fields in WRITTEN_COLUMNS order. */
export const COPY_REQUEST_LOGS_SQL = `COPY request_logs (${WRITTEN_COLUMNS}) FROM STDIN`;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/**
 * The batch as COPY text, one line per record. Records are validated already (no NUL, no lone
 * surrogate, an RFC 3339 timestamp), so every value reaches its column exactly as the JSON insert
 * would store it; the ingest fuzz test checks stored rows against the records either way.
 */
export function copyRows(records: AccessLogRecord[], receivedAt: string): string {
  let out = '';
  for (const r of records) {
    const details = r.details === null || r.details === undefined ? null : JSON.stringify(r.details);
    out += `${field(r.requestId)}\t${field(r.timestamp)}\t${field(r.method)}\t${field(r.path)}\t${field(r.route)}\t${r.status}\t${field(r.durationMs)}\t${field(r.error)}\t${field(r.message)}\t${field(details)}\t${field(r.retryAfter)}\t${field(r.apiKeyId)}\t${field(r.clientIp)}\t${field(r.userAgent)}\t${receivedAt}\n`;
  }
  return out;
}
