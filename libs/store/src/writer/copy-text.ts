import { type AccessLogRecord, canonicalTimestampMillis } from '#libs/access-log';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { InsertedRow } from './write-statements.sql.js';
import { WRITTEN_COLUMNS } from './written-columns.js';

/** COPY's text format into request_logs; copyRows writes each line's fields in WRITTEN_COLUMNS order. */
const COPY_REQUEST_LOGS_SQL = `COPY request_logs (${WRITTEN_COLUMNS}) FROM STDIN`;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  // A number's text never needs escaping.
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : String(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/**
 * The batch as COPY text, one line per record. Records are validated already (no NUL, no lone
 * surrogate, an RFC 3339 timestamp), so every value reaches its column exactly as the JSON insert
 * would store it; the ingest fuzz test checks stored rows against the records either way. (A record
 * that still reaches Postgres unstorable fails the COPY; the worker then isolates it.)
 */
export function copyRows(records: AccessLogRecord[], receivedAt: string, ingestKeyId: string | null): string {
  const batchFields = `${receivedAt}\t${field(ingestKeyId)}\n`;
  let out = '';
  for (const r of records) {
    const details = r.details === null || r.details === undefined ? null : JSON.stringify(r.details);
    out +=
      `${field(r.requestId)}\t${field(r.timestamp)}\t${field(r.method)}\t${field(r.path)}\t${field(r.route)}\t${r.status}\t` +
      `${field(r.durationMs)}\t${field(r.error)}\t${field(r.message)}\t${field(details)}\t${field(r.retryAfter)}\t` +
      `${field(r.apiKeyId)}\t${field(r.clientIp)}\t${field(r.userAgent)}\t${batchFields}`;
  }
  return out;
}

/** Streams COPY text into request_logs on the client's open transaction. */
export function copyInto(client: PoolClient, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(COPY_REQUEST_LOGS_SQL));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(text);
  });
}

/** A record of a batch stored whole, as the slow path's RETURNING would give it back. */
export function asInsertedRow(r: AccessLogRecord): InsertedRow {
  return {
    request_id: r.requestId,
    sent_at_ms: sentAtMillis(r.timestamp),
    method: r.method,
    route: r.route,
    status: r.status,
    duration_ms: r.durationMs,
    error_code: r.error,
    retry_after: r.retryAfter,
    api_key_id: r.apiKeyId,
  };
}

/** Validated timestamps are in toISOString()'s form, read without Date.parse's cost; any other the long way. */
function sentAtMillis(timestamp: string): number {
  const millis = canonicalTimestampMillis(timestamp);
  return Number.isNaN(millis) ? Date.parse(timestamp) : millis;
}
