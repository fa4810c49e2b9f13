import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { INGEST_QUEUE, IngestJobData, jobRecordCount, jobRecords } from '#libs/queue';

/** Longer ids are none of this queue's (BullMQ's own are decimal counters); not worth a Redis round trip. */
const MAX_JOB_ID_LENGTH = 256;

/** A batch that exhausted its retries, as the admin endpoints and the CLI show it. */
export interface FailedBatchSummary {
  id: string;
  records: number;
  attemptsMade: number;
  failedReason: string;
  receivedAt: string;
  failedAt: string | null;
}

export interface FailedBatchDetail extends FailedBatchSummary {
  stacktrace: string[];
  data: IngestJobData;
}

/**
 * The failed set: ingest jobs BullMQ gave up on (kept `removeOnFail` days, see ingestJobOptions).
 * Retrying moves a job back to waiting with its attempts reset; writes are idempotent, so retrying
 * a batch that partly made it in stores nothing twice.
 */
@Injectable()
export class FailedBatches {
  constructor(@InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJobData>) {}

  async list(limit = 100): Promise<{ total: number; batches: FailedBatchSummary[] }> {
    const [total, jobs] = await Promise.all([this.queue.getFailedCount(), this.queue.getFailed(0, limit - 1)]);
    return { total, batches: (jobs as Job<IngestJobData>[]).map(summarise) };
  }

  async show(id: string): Promise<FailedBatchDetail | undefined> {
    const job = await this.failedJob(id);
    if (!job) return undefined;
    const { receivedAt, source, ingestKeyId } = job.data;
    // The batch as records whatever format it was queued in: support reads them, not positional rows.
    return {
      ...summarise(job),
      stacktrace: job.stacktrace ?? [],
      data: { records: jobRecords(job.data), receivedAt, source, ingestKeyId: ingestKeyId ?? null },
    };
  }

  /** Moves one failed batch back to the queue; false when no failed batch has this id. */
  async retry(id: string): Promise<boolean> {
    const job = await this.failedJob(id);
    if (!job) return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /** Moves every failed batch back to the queue; returns how many there were. */
  async retryAll(): Promise<number> {
    const count = await this.queue.getFailedCount();
    if (count > 0) await this.queue.retryJobs({ state: 'failed', count: 1000 });
    return count;
  }

  /**
   * The failed job with this id, if any. Membership of the failed set is checked first: reading any
   * id as a job would read BullMQ's own keys for ids such as `id` or `events` (a counter, a stream),
   * which Redis answers with WRONGTYPE.
   */
  private async failedJob(id: string): Promise<Job<IngestJobData> | undefined> {
    if (id.length > MAX_JOB_ID_LENGTH || (await this.queue.getJobState(id)) !== 'failed') return undefined;
    return (await this.queue.getJob(id)) as Job<IngestJobData> | undefined;
  }
}

function summarise(job: Job<IngestJobData>): FailedBatchSummary {
  return {
    id: String(job.id),
    records: jobRecordCount(job.data),
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    receivedAt: job.data.receivedAt,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
