import { createHash } from 'node:crypto';
import type { AccessLogRecord } from '#libs/access-log';

/**
 * One statement per batch, whatever its size: each column travels as one array parameter and
 * unnest() turns them back into rows, so there is no 65,535-parameter limit to chunk around.
 * ON CONFLICT DO NOTHING on the primary key makes redelivered batches and resent records no-ops;
 * RETURNING yields only the rows this call really inserted, the basis of every derived count.
 */
export const INSERT_REQUEST_LOGS_SQL = `
INSERT INTO request_logs (request_id, sent_at, method, path, route, status, duration_ms, error_code,
                          message, details, retry_after, api_key_id, client_ip, user_agent, received_at)
SELECT r.*, $15::timestamptz
FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::float8[],
            $8::text[], $9::text[], $10::jsonb[], $11::int[], $12::text[], $13::text[], $14::text[]) AS r
ON CONFLICT DO NOTHING
RETURNING request_id, sent_at, method, route, status, duration_ms, error_code, retry_after, api_key_id`;

/**
 * The insert and the writes derived from the rows it really added, as ONE statement: each derived
 * write is an INSERT … SELECT … FROM inserted (the insert's RETURNING rows, as a CTE). A single
 * statement is atomic without BEGIN/COMMIT, so derived counts commit with their rows or not at all,
 * and the rows never travel back to the worker and in again (one round trip per batch instead of five).
 */
export function insertWithDerivedWrites(derivedWrites: readonly string[]): NamedStatement {
  // Callers pass the same constant list for every batch: compose and hash it once, not per batch.
  let statement = composed.get(derivedWrites);
  if (!statement) {
    const text =
      derivedWrites.length === 0
        ? INSERT_REQUEST_LOGS_SQL
        : `WITH inserted AS (${INSERT_REQUEST_LOGS_SQL}),\n${derivedWrites.map((sql, i) => `derived_${i} AS (${sql})`).join(',\n')}\nSELECT * FROM inserted`;
    // Named after its text: prepared once per connection, not parsed and planned again for every batch.
    statement = { name: `store-batch-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
    composed.set(derivedWrites, statement);
  }
  return statement;
}

interface NamedStatement {
  name: string;
  text: string;
}

const composed = new WeakMap<readonly string[], NamedStatement>();

/** The column arrays for INSERT_REQUEST_LOGS_SQL, in parameter order. */
export function insertParameters(records: AccessLogRecord[], receivedAt: string): unknown[] {
  const columns: unknown[][] = Array.from({ length: 14 }, () => new Array(records.length));
  records.forEach((r, i) => {
    columns[0]![i] = r.requestId;
    columns[1]![i] = r.timestamp;
    columns[2]![i] = r.method;
    columns[3]![i] = r.path;
    columns[4]![i] = r.route;
    columns[5]![i] = r.status;
    columns[6]![i] = r.durationMs;
    columns[7]![i] = r.error;
    columns[8]![i] = r.message;
    columns[9]![i] = r.details === null || r.details === undefined ? null : JSON.stringify(r.details);
    columns[10]![i] = r.retryAfter;
    columns[11]![i] = r.apiKeyId;
    columns[12]![i] = r.clientIp;
    columns[13]![i] = r.userAgent;
  });
  return [...columns, receivedAt];
}

/** A row as RETURNING gives it back: what later stages (rollups, metrics) count. */
export interface InsertedRow {
  request_id: string;
  sent_at: Date;
  method: string;
  route: string;
  status: number;
  duration_ms: number;
  error_code: string | null;
  retry_after: number | null;
  api_key_id: string | null;
}
