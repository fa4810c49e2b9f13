-- How many rows each ingest batch (queue job) inserted, over all its deliveries, written in the same
-- transaction as the rows. A worker killed after COMMIT but before BullMQ marked the job completed
-- loses that delivery's result; the redelivery inserts nothing new (duplicates) but reads the batch's
-- total back from here, so the job results still add up to the stored rows exactly. Pruned after 8
-- days (failed batches are kept 7).
CREATE TABLE "ingest_batch_outcomes" (
    "batch_id"       TEXT           NOT NULL,
    "inserted"       INTEGER        NOT NULL,
    "first_stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ingest_batch_outcomes_pkey" PRIMARY KEY ("batch_id")
);

CREATE INDEX "ingest_batch_outcomes_first_stored_at_idx" ON "ingest_batch_outcomes" ("first_stored_at");
