-- Per-minute rollups of request_logs, maintained by the worker in the same transaction as the raw
-- insert and fed only the rows that insert really added (ON CONFLICT DO NOTHING ... RETURNING), so a
-- redelivered batch adds nothing. Error rates and spike detection read these, never the raw rows.

-- Every dimension the search filters on, API key included: answers anything filtered or grouped by
-- API key (index on api_key_id, bucket), and a spike's top API keys. NULLS NOT DISTINCT so requests without error code or API key merge into one row.
CREATE TABLE "request_rollups_minute" (
    "bucket"          TIMESTAMPTZ      NOT NULL,
    "status"          SMALLINT         NOT NULL,
    "method"          TEXT             NOT NULL,
    "route"           TEXT             NOT NULL,
    "error_code"      TEXT,
    "api_key_id"      TEXT,
    "count"           BIGINT           NOT NULL,
    "duration_ms_sum" DOUBLE PRECISION NOT NULL,
    "duration_ms_max" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "request_rollups_minute_key"
        UNIQUE NULLS NOT DISTINCT ("bucket", "status", "method", "route", "error_code", "api_key_id")
);
CREATE INDEX "request_rollups_minute_api_key_bucket_idx" ON "request_rollups_minute" ("api_key_id", "bucket");

-- The same without the API key: a route x status x code grid, far fewer rows a minute when callers are
-- many. Answers route / method / error-code filters and groupings, and a spike's top routes.
CREATE TABLE "request_route_rollups_minute" (
    "bucket"          TIMESTAMPTZ      NOT NULL,
    "status"          SMALLINT         NOT NULL,
    "method"          TEXT             NOT NULL,
    "route"           TEXT             NOT NULL,
    "error_code"      TEXT,
    "count"           BIGINT           NOT NULL,
    "duration_ms_sum" DOUBLE PRECISION NOT NULL,
    "duration_ms_max" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "request_route_rollups_minute_key"
        UNIQUE NULLS NOT DISTINCT ("bucket", "status", "method", "route", "error_code")
);
CREATE INDEX "request_route_rollups_minute_route_bucket_idx" ON "request_route_rollups_minute" ("route", "bucket");
CREATE INDEX "request_route_rollups_minute_error_code_bucket_idx" ON "request_route_rollups_minute" ("error_code", "bucket");

-- Only (minute, status): a few rows per minute whatever the traffic, so unfiltered series over a day
-- (dashboards, spike detection) read ~10 rows a minute instead of one per route x key x code.
CREATE TABLE "request_status_rollups_minute" (
    "bucket"          TIMESTAMPTZ      NOT NULL,
    "status"          SMALLINT         NOT NULL,
    "count"           BIGINT           NOT NULL,
    "duration_ms_sum" DOUBLE PRECISION NOT NULL,
    "duration_ms_max" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "request_status_rollups_minute_pkey" PRIMARY KEY ("bucket", "status")
);

-- Search by API key and the "retried before Retry-After" analysis read one key's rows in a window.
CREATE INDEX "request_logs_api_key_id_sent_at_idx" ON "request_logs" ("api_key_id", "sent_at" DESC);
