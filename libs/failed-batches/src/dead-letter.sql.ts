/**
 * The dead letter's statements (dead_letter_records). A parked record is identified by the SHA-256 of
 * its JSON (`record_hash`, unique): parking the same record again, as a redelivered job does, adds
 * nothing, and RETURNING gives back only the rows really added, which the worker counts.
 */
export const PARK_RECORDS_SQL = `
INSERT INTO dead_letter_records (record_hash, request_id, sent_at, record, reason, sqlstate, message, job_id, received_at, ingest_key_id)
SELECT decode(e.hash, 'hex'), e."requestId", e."sentAt", e.record, e.reason, e.sqlstate, e.message, e."jobId", e."receivedAt", e."ingestKeyId"
FROM json_to_recordset($1::json) AS e(hash text, "requestId" text, "sentAt" text, record text, reason text, sqlstate text,
     message text, "jobId" text, "receivedAt" timestamptz, "ingestKeyId" text)
ON CONFLICT (record_hash) DO NOTHING
RETURNING reason`;

const SUMMARY_COLUMNS = `id::text AS id, request_id AS "requestId", sent_at AS "timestamp", reason, sqlstate, message,
  job_id AS "jobId", received_at AS "receivedAt", ingest_key_id AS "ingestKeyId", first_seen_at AS "firstSeenAt"`;

/** Newest first; $1 the most to list. */
export const LIST_SQL = `SELECT ${SUMMARY_COLUMNS}, count(*) OVER ()::int AS total FROM dead_letter_records ORDER BY id DESC LIMIT $1`;

export const GET_SQL = `SELECT ${SUMMARY_COLUMNS}, record FROM dead_letter_records WHERE id = $1`;

export const DELETE_SQL = `DELETE FROM dead_letter_records WHERE id = $1`;

/** Removes a parked record and gives it back, for a retry that commits the removal only once the record is queued again. */
export const TAKE_SQL = `DELETE FROM dead_letter_records WHERE id = $1 RETURNING ${SUMMARY_COLUMNS}, record`;

export const PURGE_SQL = `DELETE FROM dead_letter_records`;

/** Retention: parked records first seen before $1 (served by the first_seen_at index). */
export const PURGE_BEFORE_SQL = `DELETE FROM dead_letter_records WHERE first_seen_at < $1`;
