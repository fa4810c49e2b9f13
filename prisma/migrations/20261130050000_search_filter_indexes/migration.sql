-- Search filters on route and error code served by an index, newest first, like status and API key:
-- `GET /v1/requests?errorCode=x` over 92 days probes each daily partition's index instead of reading
-- every raw row. Error codes: a partial index, only the rows that carry one (the error responses), so
-- the ~80% of 2xx rows cost the write path nothing. Routes are on every row; measured on COPY (see
-- docs/limits/queries.md) before adding. Method and status class have no raw index: the search first
-- asks the per-minute rollups which minutes hold any match (RequestSearchService), for a method through
-- the (method, bucket) index at the end.
-- Created on the partitioned parent: Postgres builds it on every existing partition (blocking writes
-- to each while it does) and on every partition created later.
CREATE INDEX "request_logs_route_sent_at_idx" ON "request_logs" ("route", "sent_at" DESC);
CREATE INDEX "request_logs_error_code_sent_at_idx" ON "request_logs" ("error_code", "sent_at" DESC) WHERE "error_code" IS NOT NULL;

-- The rollups' answer to "which minutes hold this method?" (the search asks it before any raw read):
-- without this index a method matching nothing walks every route-rollup row of the range (~1/10 of the
-- raw rows); with it, two index probes. Rollup rows are few per raw row and mostly updated in place
-- (count += n), so only new cells pay for it.
CREATE INDEX "request_route_rollups_minute_method_bucket_idx" ON "request_route_rollups_minute" ("method", "bucket");
