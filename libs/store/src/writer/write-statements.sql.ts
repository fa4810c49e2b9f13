import type { AccessLogRecord } from '#libs/access-log';
import { ROLLUP_INPUT_FROM_INSERTED, ROLLUP_INPUT_FROM_SUMMARY, ROLLUP_WRITES } from './rollup-writes.sql.js';
import { WRITTEN_COLUMNS } from './written-columns.js';

/**
 * A batch as typed rows: the whole batch travels as ONE JSON parameter (the records exactly as
 * validated, serialised by V8's native JSON.stringify) and json_to_recordset turns it back into rows.
 * Measured against fourteen column arrays through unnest: the same rows per second in Postgres, 5–10%
 * more with the rollups, and the worker no longer escapes every element in JavaScript (pg's array
 * serialiser was ~9% of its busy time). No 65,535-parameter limit either.
 */
export const BATCH_ROW_TYPES = `"requestId" text, "timestamp" timestamptz, method text, path text,
       route text, status smallint, "durationMs" float8, error text, message text, details jsonb,
       "retryAfter" int, "apiKeyId" text, "clientIp" text, "userAgent" text`;
const BATCH_ROWS = `json_to_recordset($1::json) AS r(${BATCH_ROW_TYPES})`;

/**
 * The slow, always-correct path: ON CONFLICT DO NOTHING on the primary key makes redelivered batches
 * and resent records no-ops; RETURNING yields only the rows this call really inserted, the basis of
 * every derived count.
 */
const INSERT_REQUEST_LOGS_SQL = `
INSERT INTO request_logs (${WRITTEN_COLUMNS})
SELECT r."requestId", r."timestamp", r.method, r.path, r.route, r.status, r."durationMs", r.error,
       r.message, r.details, r."retryAfter", r."apiKeyId", r."clientIp", r."userAgent", $2::timestamptz, $3::text
FROM ${BATCH_ROWS}
ON CONFLICT DO NOTHING
RETURNING request_id, sent_at, method, route, status, duration_ms, error_code, retry_after, api_key_id`;

/** What the worker reads back (InsertedRow): sent_at as epoch milliseconds, a float being far cheaper to parse than a timestamptz. */
const INSERTED_ROW_COLUMNS = `request_id, (extract(epoch FROM sent_at) * 1000)::float8 AS sent_at_ms, method, route, status,
       duration_ms, error_code, retry_after, api_key_id`;

/** The rollup writes as CTEs over `derived_input`, which `input` computes (from the inserted rows or from $1, the batch's summary). */
function rollupCtes(input: string): string[] {
  return [`derived_input AS (${input})`, ...ROLLUP_WRITES.map((sql, i) => `derived_${i} AS (${sql})`)];
}

// Both statements are named: prepared once per connection, not parsed and planned again for every batch.

/**
 * The slow path's insert and the rollups of the rows it really added, as ONE statement: `inserted`
 * is the insert's RETURNING rows (a CTE), `derived_input` is computed from them, and each rollup
 * write reads that. A single statement is atomic without BEGIN/COMMIT, so the counts commit with
 * their rows or not at all, and the rows never travel back to the worker and in again.
 */
export const INSERT_WITH_ROLLUPS = {
  name: 'store-batch-insert-with-rollups',
  text: `WITH ${[`inserted AS (${INSERT_REQUEST_LOGS_SQL})`, ...rollupCtes(ROLLUP_INPUT_FROM_INSERTED)].join(',\n')}
SELECT ${INSERTED_ROW_COLUMNS} FROM inserted`,
};

/** The fast path's rollups, for a batch COPY has just stored whole: one statement over $1, the batch's summary (summariseForRollups). */
export const ROLLUPS_OF_SUMMARY = {
  name: 'store-batch-rollups-of-summary',
  text: `WITH ${rollupCtes(ROLLUP_INPUT_FROM_SUMMARY).join(',\n')}\nSELECT 1`,
};

/**
 * The parameters of INSERT_WITH_ROLLUPS: the batch as JSON (keys as in AccessLogRecord), when it was received,
 * and the key that ingested it.
 */
export function batchParameters(
  records: readonly AccessLogRecord[],
  receivedAt: string,
  ingestKeyId: string | null,
): [string, string, string | null] {
  return [JSON.stringify(records), receivedAt, ingestKeyId];
}

/** A row as RETURNING gives it back: what later stages (metrics) count. */
export interface InsertedRow {
  request_id: string;
  /** sent_at, as milliseconds since the epoch. */
  sent_at_ms: number;
  method: string;
  route: string;
  status: number;
  duration_ms: number;
  error_code: string | null;
  retry_after: number | null;
  api_key_id: string | null;
}
