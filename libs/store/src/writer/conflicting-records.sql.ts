import type { QueryConfig } from 'pg';
import { BATCH_ROW_TYPES } from './write-statements.sql.js';

/** The stored content a record is compared on: everything it carries, not when or by whom it was received. */
const CONTENT = [
  'method',
  'path',
  'route',
  'status',
  'duration_ms',
  'error_code',
  'message',
  'details',
  'retry_after',
  'api_key_id',
  'client_ip',
  'user_agent',
];
const RECORD_CONTENT = [
  'method',
  'path',
  'route',
  'status',
  '"durationMs"',
  'error',
  'message',
  'details',
  '"retryAfter"',
  '"apiKeyId"',
  '"clientIp"',
  '"userAgent"',
];

/**
 * Indexes (0-based) of the batch's records whose (request id, timestamp) is stored with other content:
 * conflicting duplicates, which ON CONFLICT DO NOTHING skipped (the stored row wins). Run after the
 * batch's insert, so a record repeated inside the batch with other content conflicts with the copy
 * that was stored. The batch is $1, the same JSON the insert took; the join is the primary key.
 */
export function selectConflictingRecords(batchJson: string): QueryConfig {
  const columns = BATCH_ROW_TYPES.replace(/\s+\w+(\s*,|$)/g, '$1');
  return {
    name: 'request-logs-conflicting-records',
    text: `SELECT (r.ord - 1)::int AS index
   FROM ROWS FROM (json_to_recordset($1::json) AS (${BATCH_ROW_TYPES})) WITH ORDINALITY AS r(${columns}, ord)
   JOIN request_logs l ON l.request_id = r."requestId" AND l.sent_at = r."timestamp"::timestamptz(3)
   WHERE (${CONTENT.map((c) => `l.${c}`).join(', ')}) IS DISTINCT FROM (${RECORD_CONTENT.map((c) => `r.${c}`).join(', ')})`,
    values: [batchJson],
  };
}
