/**
 * Adds the rows a batch really added to the three per-minute rollups (run by
 * RowsAndRollupsWriter in the batch's own transaction, see write-statements.sql.ts). Each statement
 * reads `derived_input`: per-minute partial counts (minute, status, method, route, error_code,
 * api_key_id, count, duration_ms_sum, duration_ms_max), from the inserted rows one by one or from
 * the worker's summary of a batch stored whole, and adds them up in SQL. ORDER BY makes every worker
 * take the row locks of the upserts in the same order, so two concurrent batches touching the same
 * minutes wait for each other instead of deadlocking.
 */
const ADD_MEASURES = `
  count = t.count + EXCLUDED.count,
  duration_ms_sum = t.duration_ms_sum + EXCLUDED.duration_ms_sum,
  duration_ms_max = GREATEST(t.duration_ms_max, EXCLUDED.duration_ms_max)`;

const SUM_MEASURES = 'sum(count), sum(duration_ms_sum), max(duration_ms_max)';

const ADD_TO_ROLLUP_SQL = `
INSERT INTO request_rollups_minute AS t
  (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
SELECT minute, status, method, route, error_code, api_key_id, ${SUM_MEASURES}
FROM derived_input
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT ON CONSTRAINT request_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

const ADD_TO_ROUTE_ROLLUP_SQL = `
INSERT INTO request_route_rollups_minute AS t
  (bucket, status, method, route, error_code, count, duration_ms_sum, duration_ms_max)
SELECT minute, status, method, route, error_code, ${SUM_MEASURES}
FROM derived_input
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5
ON CONFLICT ON CONSTRAINT request_route_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

const ADD_TO_STATUS_ROLLUP_SQL = `
INSERT INTO request_status_rollups_minute AS t (bucket, status, count, duration_ms_sum, duration_ms_max)
SELECT minute, status, ${SUM_MEASURES}
FROM derived_input
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (bucket, status) DO UPDATE SET ${ADD_MEASURES}`;

/** The rollup writes, in a fixed order (the same lock order in every worker). */
export const ROLLUP_WRITES: readonly string[] = [ADD_TO_ROLLUP_SQL, ADD_TO_ROUTE_ROLLUP_SQL, ADD_TO_STATUS_ROLLUP_SQL];

/** derived_input from the slow path's inserted rows: each row a partial count of one. */
export const ROLLUP_INPUT_FROM_INSERTED = `
SELECT date_trunc('minute', sent_at, 'UTC') AS minute, status, method, route, error_code, api_key_id,
       1::bigint AS count, duration_ms AS duration_ms_sum, duration_ms AS duration_ms_max
FROM inserted`;

/** derived_input from $1, the JSON summary of a whole batch (summariseForRollups). */
export const ROLLUP_INPUT_FROM_SUMMARY = `
SELECT * FROM json_to_recordset($1::json) AS g(minute timestamptz, status smallint, method text, route text, error_code text,
       api_key_id text, count bigint, duration_ms_sum float8, duration_ms_max float8)`;
