/**
 * Adds the rows a batch really inserted to the three per-minute rollups (always in this order). The rows travel as column
 * arrays (one statement whatever the batch size) and are aggregated here in SQL. ORDER BY makes
 * every worker take the row locks of the upserts in the same order, so two concurrent batches
 * touching the same minutes wait for each other instead of deadlocking.
 */
const INSERTED_ROWS = `
  unnest($1::timestamptz[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[])
    AS r(sent_at, status, method, route, error_code, api_key_id, duration_ms)`;

const ADD_MEASURES = `
  count = t.count + EXCLUDED.count,
  duration_ms_sum = t.duration_ms_sum + EXCLUDED.duration_ms_sum,
  duration_ms_max = GREATEST(t.duration_ms_max, EXCLUDED.duration_ms_max)`;

export const ADD_TO_ROLLUP_SQL = `
INSERT INTO request_rollups_minute AS t
  (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, api_key_id,
       count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT ON CONSTRAINT request_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

export const ADD_TO_ROUTE_ROLLUP_SQL = `
INSERT INTO request_route_rollups_minute AS t
  (bucket, status, method, route, error_code, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5
ON CONFLICT ON CONSTRAINT request_route_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

export const ADD_TO_STATUS_ROLLUP_SQL = `
INSERT INTO request_status_rollups_minute AS t (bucket, status, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (bucket, status) DO UPDATE SET ${ADD_MEASURES}`;

/** Rollup minutes older than the cutoff; all three tables keep the same horizon. */
export const PURGE_ROLLUPS_SQL = [
  'DELETE FROM request_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_route_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_status_rollups_minute WHERE bucket < $1',
];
