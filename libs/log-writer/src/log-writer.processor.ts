import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LogMetrics } from '#libs/metrics';
import { INGEST_QUEUE, IngestJobData } from '#libs/queue';
import { RequestLogRepository } from '#libs/request-store';
import { RollupRepository } from '#libs/rollups';

export interface StoreBatchOutcome {
  inserted: number;
  duplicates: number;
}

/**
 * The one processor of the ingest queue. It never catches: a failed write rejects the job, and
 * BullMQ retries it with the backoff configured in ingestJobOptions. Writes are idempotent, so a
 * retry or a redelivery after a crash stores nothing twice.
 */
@Processor(INGEST_QUEUE)
export class LogWriterProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly repository: RequestLogRepository,
    private readonly rollups: RollupRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: LogMetrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  /** Stop taking jobs and let the one in hand finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<IngestJobData>): Promise<StoreBatchOutcome> {
    // Rollups are counted from the rows really inserted, in the insert's transaction: never twice;
    // metrics likewise, after the commit.
    const stored = await this.metrics.timeWrite(() =>
      this.repository.storeBatch(job.data.records, job.data.receivedAt, (client, rows) => this.rollups.addInserted(client, rows)),
    );
    this.metrics.observeStored(stored);
    return { inserted: stored.inserted.length, duplicates: stored.duplicates };
  }
}
