/**
 * Adds the rows a batch really inserted to the three per-minute rollups. Each statement reads them
 * from `inserted`, the raw insert's RETURNING rows (RequestLogRepository.storeBatch runs these in the
 * insert's own statement), and aggregates them in SQL. ORDER BY makes every worker take the row locks
 * of the upserts in the same order, so two concurrent batches touching the same minutes wait for each
 * other instead of deadlocking.
 */
const INSERTED_ROWS = 'inserted';

const ADD_MEASURES = `
  count = t.count + EXCLUDED.count,
  duration_ms_sum = t.duration_ms_sum + EXCLUDED.duration_ms_sum,
  duration_ms_max = GREATEST(t.duration_ms_max, EXCLUDED.duration_ms_max)`;

const ADD_TO_ROLLUP_SQL = `
INSERT INTO request_rollups_minute AS t
  (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, api_key_id,
       count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT ON CONSTRAINT request_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

const ADD_TO_ROUTE_ROLLUP_SQL = `
INSERT INTO request_route_rollups_minute AS t
  (bucket, status, method, route, error_code, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5
ON CONFLICT ON CONSTRAINT request_route_rollups_minute_key DO UPDATE SET ${ADD_MEASURES}`;

const ADD_TO_STATUS_ROLLUP_SQL = `
INSERT INTO request_status_rollups_minute AS t (bucket, status, count, duration_ms_sum, duration_ms_max)
SELECT date_trunc('minute', sent_at, 'UTC'), status, count(*), sum(duration_ms), max(duration_ms)
FROM ${INSERTED_ROWS}
GROUP BY 1, 2
ORDER BY 1, 2
ON CONFLICT (bucket, status) DO UPDATE SET ${ADD_MEASURES}`;

/** The rollup writes for storeBatch, in a fixed order (the same lock order in every worker). */
export const ROLLUP_WRITES_FROM_INSERTED: readonly string[] = [ADD_TO_ROLLUP_SQL, ADD_TO_ROUTE_ROLLUP_SQL, ADD_TO_STATUS_ROLLUP_SQL];

/** Rollup minutes older than the cutoff; all three tables keep the same horizon. */
export const PURGE_ROLLUPS_SQL = [
  'DELETE FROM request_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_route_rollups_minute WHERE bucket < $1',
  'DELETE FROM request_status_rollups_minute WHERE bucket < $1',
];
