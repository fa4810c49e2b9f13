// SQL that fills the bench database: 10,000,000 access-log rows generated inside Postgres (no
// client round trips), spread over the 7 days before now, then the rollups built from them.

export const BENCH_DAYS = 7;
export const ROUTES = [
  '/v1/sessions',
  '/v1/sessions/:id',
  '/v1/sessions/:id/approve',
  '/v1/sessions/:id/decline',
  '/v1/documents',
  '/v1/documents/:id',
  '/v1/webhook-endpoints',
  '/v1/webhook-endpoints/:id',
  '/v1/api-keys',
  '/v1/api-keys/:id',
  '/v1/verifications',
  '/v1/verifications/:id',
];
export const API_KEYS = 500;

/**
 * One day's share of rows ($1 first index, $2 last index, $3 window start, $4 window seconds).
 * Ids are sequential (req_00000001...) so the primary key loads in order; status mix: ~80% 2xx,
 * ~12% 4xx (5% 429), ~2% 5xx. A 429 burst from key_bench_00007 runs 20 minutes, 3 h before the end.
 */
export const INSERT_DAY_SQL = `
INSERT INTO request_logs (request_id, sent_at, method, path, route, status, duration_ms, error_code, message,
                          retry_after, api_key_id, client_ip, user_agent, received_at)
SELECT 'req_' || to_char(i, 'FM000000000'), t, m, r, r, s, d,
       CASE WHEN s = 429 THEN 'rate_limit_exceeded' WHEN s = 422 THEN 'validation_error' WHEN s = 404 THEN 'not_found'
            WHEN s = 409 THEN 'conflict' WHEN s = 503 THEN 'service_unavailable' WHEN s >= 400 THEN 'error' END,
       CASE WHEN s >= 400 THEN 'bench error' END,
       CASE WHEN s = 429 THEN 30 WHEN s = 503 THEN 10 END,
       k, '203.0.113.7', 'bench/1.0', t
FROM (
  SELECT i, t, r,
         CASE WHEN r LIKE '%:id' THEN 'GET' ELSE 'POST' END AS m,
         CASE WHEN burst THEN 'key_bench_00007'
              ELSE 'key_bench_' || to_char(1 + (hashint4(i::int) & 65535) % ${API_KEYS}, 'FM00000') END AS k,
         CASE WHEN burst THEN 429
              WHEN p < 700 THEN 200 WHEN p < 800 THEN 201 WHEN p < 820 THEN 204 WHEN p < 840 THEN 400 WHEN p < 870 THEN 404
              WHEN p < 880 THEN 409 WHEN p < 910 THEN 422 WHEN p < 960 THEN 429 WHEN p < 975 THEN 401 WHEN p < 980 THEN 403
              WHEN p < 985 THEN 500 ELSE 503 END AS s,
         round((5 + (hashint4(i::int + 7) & 1023) / 4.0)::numeric, 1)::float8 AS d
  FROM (
    SELECT i, $3::timestamptz + (i - $1) * ($4::float8 / ($2 - $1 + 1)) * interval '1 second' AS t,
           (hashint4(i::int + 1) & 1023) % 1000 AS p,
           (ARRAY[${ROUTES.map((r) => `'${r}'`).join(',')}])[1 + (hashint4(i::int + 3) & 1023) % ${ROUTES.length}] AS r,
           (i % 3 = 0 AND $3::timestamptz + (i - $1) * ($4::float8 / ($2 - $1 + 1)) * interval '1 second'
              BETWEEN $5::timestamptz AND $5::timestamptz + interval '20 minutes') AS burst
    FROM generate_series($1::bigint, $2::bigint) AS i
  ) g
) x`;

/** The rollups as the worker would have built them record by record: the same GROUP BY, in one pass. */
export const BUILD_ROLLUPS_SQL = [
  `INSERT INTO request_rollups_minute (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
   SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, api_key_id, count(*), sum(duration_ms), max(duration_ms)
   FROM request_logs GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO request_route_rollups_minute (bucket, status, method, route, error_code, count, duration_ms_sum, duration_ms_max)
   SELECT date_trunc('minute', sent_at, 'UTC'), status, method, route, error_code, count(*), sum(duration_ms), max(duration_ms)
   FROM request_logs GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO request_status_rollups_minute (bucket, status, count, duration_ms_sum, duration_ms_max)
   SELECT date_trunc('minute', sent_at, 'UTC'), status, count(*), sum(duration_ms), max(duration_ms)
   FROM request_logs GROUP BY 1, 2`,
  `INSERT INTO request_totals_minute (bucket, count, status_4xx, status_5xx, statuses, counts, by_status)
   SELECT bucket, sum(n), coalesce(sum(n) FILTER (WHERE status / 100 = 4), 0), coalesce(sum(n) FILTER (WHERE status / 100 = 5), 0),
          array_agg(status ORDER BY status), array_agg(n ORDER BY status),
          '{' || string_agg('"' || status || '":' || n, ',' ORDER BY status) || '}'
   FROM (SELECT date_trunc('minute', sent_at, 'UTC') AS bucket, status, count(*) AS n FROM request_logs GROUP BY 1, 2) per_status
   GROUP BY 1`,
];
