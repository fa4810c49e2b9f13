import type { DefaultJobOptions } from 'bullmq';
import type { AccessLogRecord } from '#libs/access-log';
import type { AppConfig } from '#libs/config';

/**
 * The queue carrying access-log batches from the producers (HTTP ingest, the shipper middleware)
 * to the writer. NEVER RENAME: jobs already waiting in Redis under the old name would be orphaned.
 */
export const INGEST_QUEUE = 'access-log-batches';

/** The one job name on INGEST_QUEUE. NEVER RENAME, for the same reason. */
export const INGEST_JOB = 'store-batch';

/** Payload of one INGEST_JOB: many validated records, never one job per record. */
export interface IngestJobData {
  records: AccessLogRecord[];
  /** When the producer accepted the batch (ISO 8601); stored as received_at. */
  receivedAt: string;
  /** Where the batch came from, for pipeline metrics: 'http' or 'shipper'. */
  source: 'http' | 'shipper';
}

/** Retries, backoff and retention of finished jobs: configured here and nowhere else. */
export function ingestJobOptions(config: Pick<AppConfig, 'queue'>): DefaultJobOptions {
  return {
    attempts: config.queue.jobAttempts,
    backoff: { type: 'exponential', delay: config.queue.jobBackoffMs },
    // A completed job still holds its whole batch (~0.5 MB per 1000 records) in Redis memory and AOF,
    // and its rows are in Postgres now: keep only the last few, for inspection.
    removeOnComplete: { age: 3600, count: config.queue.keepCompleted },
    // Failed batches stay for a week so they can be inspected and retried, never silently dropped.
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
