/**
 * Adds the rows a batch really added to the four per-minute rollups (run by
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

/**
 * The minute's statuses (ascending), counts and `byStatus` JSON text from (status, n) rows. Both sides
 * of an upsert are built by it, so a minute's row always holds each status once, in order.
 */
const STATUS_ARRAYS = `array_agg(status ORDER BY status), array_agg(n ORDER BY status),
       '{' || string_agg('"' || status || '":' || n, ',' ORDER BY status) || '}'`;

/**
 * One row per minute: the total, 4xx and 5xx add up; the statuses of the stored row and of the batch
 * are merged by summing both (status, count) lists per status. Only the row's own ~10 statuses are
 * sorted, once per minute a batch touches (one or two per batch).
 */
const ADD_TO_TOTALS_SQL = `
INSERT INTO request_totals_minute AS t (bucket, count, status_4xx, status_5xx, statuses, counts, by_status)
SELECT minute, sum(n), coalesce(sum(n) FILTER (WHERE status / 100 = 4), 0), coalesce(sum(n) FILTER (WHERE status / 100 = 5), 0),
       ${STATUS_ARRAYS}
FROM (SELECT minute, status, sum(count)::bigint AS n FROM derived_input GROUP BY 1, 2) per_status
GROUP BY 1
ORDER BY 1
ON CONFLICT (bucket) DO UPDATE SET
  count = t.count + EXCLUDED.count,
  status_4xx = t.status_4xx + EXCLUDED.status_4xx,
  status_5xx = t.status_5xx + EXCLUDED.status_5xx,
  (statuses, counts, by_status) = (
    SELECT ${STATUS_ARRAYS}
    FROM (SELECT status, sum(n)::bigint AS n
          FROM (SELECT * FROM unnest(t.statuses, t.counts)
                UNION ALL SELECT * FROM unnest(EXCLUDED.statuses, EXCLUDED.counts)) AS cells(status, n)
          GROUP BY status) merged)`;

/** The rollup writes, in a fixed order (the same lock order in every worker). */
export const ROLLUP_WRITES: readonly string[] = [ADD_TO_ROLLUP_SQL, ADD_TO_ROUTE_ROLLUP_SQL, ADD_TO_STATUS_ROLLUP_SQL, ADD_TO_TOTALS_SQL];

/** derived_input from the slow path's inserted rows: each row a partial count of one. */
export const ROLLUP_INPUT_FROM_INSERTED = `
SELECT date_trunc('minute', sent_at, 'UTC') AS minute, status, method, route, error_code, api_key_id,
       1::bigint AS count, duration_ms AS duration_ms_sum, duration_ms AS duration_ms_max
FROM inserted`;

/** derived_input from $1, the JSON summary of a whole batch (summariseForRollups). */
export const ROLLUP_INPUT_FROM_SUMMARY = `
SELECT * FROM json_to_recordset($1::json) AS g(minute timestamptz, status smallint, method text, route text, error_code text,
       api_key_id text, count bigint, duration_ms_sum float8, duration_ms_max float8)`;
