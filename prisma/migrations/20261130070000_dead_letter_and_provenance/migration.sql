-- Provenance: the id of the API key (of this service) that ingested each record; null for records
-- stored before this column, sent by the shipper's queue sink, or by an unknown producer. Nullable and
-- without a default, so adding it to the partitioned table rewrites nothing.
ALTER TABLE "request_logs" ADD COLUMN "ingested_by_key_id" TEXT;

-- The dead letter: records the worker could not store, each with why. Two kinds of reason:
-- * Postgres refused the record for its data (SQLSTATE class 22, 23 or 54: the worker splits a refused
--   batch down to the record, stores the rest, and parks each refused record here);
-- * a conflicting duplicate: the same (request_id, sent_at) as a stored row but other content (the
--   stored row wins; the other version is kept here instead of being dropped silently).
-- A record is parked once: `record_hash` (SHA-256 of the record's JSON) is unique, so a redelivered job
-- adds no row. `record` is JSON text, not jsonb: jsonb refuses some of what a refused record may hold
-- (\u0000). `request_id` and `sent_at` are copied as sent (text), since they may be what was wrong.
CREATE TABLE "dead_letter_records" (
    "id"            BIGINT GENERATED ALWAYS AS IDENTITY,
    "record_hash"   BYTEA          NOT NULL,
    "request_id"    TEXT,
    "sent_at"       TEXT,
    "record"        TEXT           NOT NULL,
    "reason"        TEXT           NOT NULL,
    "sqlstate"      TEXT,
    "message"       TEXT           NOT NULL,
    "job_id"        TEXT,
    "received_at"   TIMESTAMPTZ(3) NOT NULL,
    "ingest_key_id" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dead_letter_records_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "dead_letter_records_record_hash_key" ON "dead_letter_records" ("record_hash");
-- Retention deletes by first_seen_at (each time records are parked).
CREATE INDEX "dead_letter_records_first_seen_at_idx" ON "dead_letter_records" ("first_seen_at");
