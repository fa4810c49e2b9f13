import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LogMetrics } from '#libs/metrics';
import { INGEST_QUEUE, IngestJobData } from '#libs/queue';
import { RequestLogRepository } from '#libs/request-store';
import { RollupRepository } from '#libs/rollups';
import { GroupCommit } from './group-commit.js';

export interface StoreBatchOutcome {
  /** Rows this delivery inserted. */
  inserted: number;
  /** Records of the batch that were already stored (redelivery, resent record). */
  duplicates: number;
}

/**
 * The one processor of the ingest queue. It never catches: a failed write rejects the job, and
 * BullMQ retries it with the backoff configured in ingestJobOptions. Writes are idempotent, so a
 * retry or a redelivery after a crash stores nothing twice.
 */
// autorun off: the lock and stalled-job settings come from the config, applied before the worker starts.
@Processor(INGEST_QUEUE, { autorun: false })
export class LogWriterProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogWriterProcessor.name);
  private readonly groupCommit: GroupCommit;

  constructor(
    private readonly repository: RequestLogRepository,
    private readonly rollups: RollupRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: LogMetrics,
  ) {
    super();
    const { writesInFlight, maxWriteRecords } = config.worker;
    this.groupCommit = new GroupCommit(
      (batches) => this.metrics.timeWrite(batches.length, () => this.repository.storeBatches(batches, this.rollups.derivedWrites)),
      { writesInFlight, maxRecords: maxWriteRecords },
    );
  }

  /**
   * A worker killed mid-batch (kill -9) leaves its jobs locked until the lock expires; the stalled
   * check then redelivers them. Writes are idempotent, so a job may stall several times
   * (WORKER_MAX_STALLED_COUNT) before BullMQ gives up on it and moves it to the failed set.
   */
  onApplicationBootstrap(): void {
    const { concurrency, lockDurationMs, stalledIntervalMs, maxStalledCount } = this.config.worker;
    const worker = this.worker as typeof this.worker & { createLockManager(): void };
    Object.assign(worker.opts, {
      lockDuration: lockDurationMs,
      lockRenewTime: lockDurationMs / 2,
      stalledInterval: stalledIntervalMs,
      maxStalledCount,
    });
    worker.createLockManager();
    worker.concurrency = concurrency;
    void worker.run().catch((err: Error) => this.logger.error(`worker stopped: ${err.message}`));
  }

  /** Stop taking jobs and let the one in hand finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
    this.logger.log('ingest worker closed: no new jobs taken, batches in hand finished');
  }

  async process(job: Job<IngestJobData>): Promise<StoreBatchOutcome> {
    // Rollups are counted from the rows really inserted, in the insert's own transaction: never
    // twice; metrics likewise, after the commit.
    const stored = await this.groupCommit.store({ records: job.data.records, receivedAt: job.data.receivedAt }).catch((err: unknown) => {
      this.metrics.observeFailed();
      throw err;
    });
    this.metrics.observeStored(stored);
    return { inserted: stored.inserted.length, duplicates: stored.duplicates };
  }
}
