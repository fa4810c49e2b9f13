-- Request store: one row per response of the Verilock API, range-partitioned by the day it was sent
-- (UTC) so retention drops whole partitions instead of deleting rows.
-- The primary key (request_id, sent_at) makes writes idempotent (INSERT ... ON CONFLICT DO NOTHING):
-- a redelivered batch or a record sent twice is stored once. It leads with request_id, so the
-- lookup by X-Request-Id is an index probe per partition.
CREATE TABLE "request_logs" (
    "request_id"  TEXT             NOT NULL,
    "sent_at"     TIMESTAMPTZ(3)   NOT NULL,
    "method"      TEXT             NOT NULL,
    "path"        TEXT             NOT NULL,
    "route"       TEXT             NOT NULL,
    "status"      SMALLINT         NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "error_code"  TEXT,
    "message"     TEXT,
    "details"     JSONB,
    "retry_after" INTEGER,
    "api_key_id"  TEXT,
    "client_ip"   TEXT,
    "user_agent"  TEXT,
    "received_at" TIMESTAMPTZ(3)   NOT NULL,
    "stored_at"   TIMESTAMPTZ(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "request_logs_pkey" PRIMARY KEY ("request_id", "sent_at")
) PARTITION BY RANGE ("sent_at");

CREATE INDEX "request_logs_sent_at_idx" ON "request_logs" ("sent_at" DESC);
CREATE INDEX "request_logs_status_sent_at_idx" ON "request_logs" ("status", "sent_at" DESC);

-- Creates the partition holding one UTC day, if it does not exist yet. Safe to call concurrently
-- from several workers: an advisory lock serialises the check-then-create.
CREATE FUNCTION "ensure_request_logs_partition"(day DATE) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    partition_name TEXT := 'request_logs_' || to_char(day, 'YYYYMMDD');
    day_start TIMESTAMPTZ := (day::TIMESTAMP AT TIME ZONE 'UTC');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('request_logs_partitions'));
    IF to_regclass(format('%I', partition_name)) IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I PARTITION OF "request_logs" FOR VALUES FROM (%L) TO (%L)',
        partition_name, day_start, day_start + INTERVAL '1 day'
    );
    RETURN TRUE;
END;
$$;
