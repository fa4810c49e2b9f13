-- One row per minute holding every status's count of that minute: what an unfiltered series at 1m
-- and spike detection read. A day is 1,440 rows here against ~17,000 (minute, status) cells of
-- request_status_rollups_minute, which the error-rates query then had to aggregate and sort per bucket.
-- Maintained by the worker in the same statement as the other rollups, from the same rows really
-- inserted (rollup-writes.sql.ts), so it is exact under redelivery as they are.
--   count, status_4xx, status_5xx  the minute's requests, and those with a 4xx / 5xx status;
--   statuses, counts               the minute's statuses in ascending order, and each one's count;
--   by_status                      the same as JSON text in that order, as JSON.stringify writes an
--                                  object with integer keys ({"200":5,"404":1}): the error-rates
--                                  answer's `byStatus`, copied as is (jsonb's text would add spaces).
CREATE TABLE "request_totals_minute" (
    "bucket"     TIMESTAMPTZ NOT NULL,
    "count"      BIGINT      NOT NULL,
    "status_4xx" BIGINT      NOT NULL,
    "status_5xx" BIGINT      NOT NULL,
    "statuses"   SMALLINT[]  NOT NULL,
    "counts"     BIGINT[]    NOT NULL,
    "by_status"  TEXT        NOT NULL,
    CONSTRAINT "request_totals_minute_pkey" PRIMARY KEY ("bucket")
) WITH (fillfactor = 70);

-- Existing minutes, from the status rollup (the same counts the worker would have added batch by
-- batch). Old workers must be stopped before this runs: one still writing only the three older
-- rollups after it would leave its minutes out of this table.
INSERT INTO "request_totals_minute" (bucket, count, status_4xx, status_5xx, statuses, counts, by_status)
SELECT bucket, sum(count), coalesce(sum(count) FILTER (WHERE status / 100 = 4), 0),
       coalesce(sum(count) FILTER (WHERE status / 100 = 5), 0),
       array_agg(status ORDER BY status), array_agg(count ORDER BY status),
       '{' || string_agg('"' || status || '":' || count, ',' ORDER BY status) || '}'
FROM "request_status_rollups_minute"
GROUP BY bucket;
