import type { AccessLogRecord } from '#libs/access-log';
import { type RecordRow, fromRecordRows, toRecordRows } from './job-records.js';

/**
 * The queue carrying access-log batches from the producers (HTTP ingest, the shipper middleware)
 * to the writer. NEVER RENAME: jobs already waiting in Redis under the old name would be orphaned.
 */
export const INGEST_QUEUE = 'access-log-batches';

/** The one job name on INGEST_QUEUE. NEVER RENAME, for the same reason. */
export const INGEST_JOB = 'store-batch';

/**
 * Payload of one INGEST_JOB: many validated records, never one job per record. Producers write
 * `rows` (see RecordRow); jobs queued before that format carry `records` as objects and are still
 * read. Read the records with jobRecords(), never from either field directly.
 */
export interface IngestJobData {
  rows?: RecordRow[];
  /** The earlier format: the same records as objects. */
  records?: AccessLogRecord[];
  /** When the producer accepted the batch (ISO 8601); stored as received_at. */
  receivedAt: string;
  /** Where the batch came from, for pipeline metrics: 'http', 'otlp' (HTTP, OTLP-encoded) or 'shipper'. */
  source: 'http' | 'otlp' | 'shipper';
  /** Id of the API key that ingested the batch (null: the shipper's queue sink or an unknown producer). */
  ingestKeyId?: string | null;
}

/** The payload of a job carrying `records`, in the format producers write. */
export function ingestJobData(
  records: readonly AccessLogRecord[],
  receivedAt: string,
  source: IngestJobData['source'],
  ingestKeyId: string | null = null,
): IngestJobData {
  return { rows: toRecordRows(records), receivedAt, source, ingestKeyId };
}

/** The records of a job, whichever format it was queued in. */
export function jobRecords(data: IngestJobData): AccessLogRecord[] {
  return data.rows ? fromRecordRows(data.rows) : (data.records ?? []);
}

/** How many records a job carries, without decoding them. */
export function jobRecordCount(data: IngestJobData): number {
  return (data.rows ?? data.records ?? []).length;
}
