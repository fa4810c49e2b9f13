/**
 * Parking in the dead letter (dead_letter_records): raw SQL, see DeadLetterRepository.park. A parked
 * record is identified by the SHA-256 of its JSON (`record_hash`, unique): parking the same record
 * again, as a redelivered job does, adds nothing, and RETURNING gives back only the rows really
 * added, which the worker counts.
 */
export const PARK_RECORDS_SQL = `
INSERT INTO dead_letter_records (record_hash, request_id, sent_at, record, reason, sqlstate, message, job_id, received_at, ingest_key_id)
SELECT decode(e.hash, 'hex'), e."requestId", e."sentAt", e.record, e.reason, e.sqlstate, e.message, e."jobId", e."receivedAt", e."ingestKeyId"
FROM json_to_recordset($1::json) AS e(hash text, "requestId" text, "sentAt" text, record text, reason text, sqlstate text,
     message text, "jobId" text, "receivedAt" timestamptz, "ingestKeyId" text)
ON CONFLICT (record_hash) DO NOTHING
RETURNING reason`;
