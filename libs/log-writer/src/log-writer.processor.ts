import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LogMetrics } from '#libs/metrics';
import { INGEST_QUEUE, IngestJobData, jobRecords, redisConnection, throttledWarning } from '#libs/queue';
import { RequestLogRepository, refusedForItsData } from '#libs/request-store';
import { RollupRepository } from '#libs/rollups';
import { GroupCommit } from './group-commit.js';

export interface StoreBatchOutcome {
  /** Rows this delivery inserted. */
  inserted: number;
  /** Records of the batch that were already stored (redelivery, resent record). */
  duplicates: number;
}

/**
 * The one consumer of the ingest queue. It never catches: a failed write rejects the job, and
 * BullMQ retries it with the backoff configured in ingestJobOptions. Writes are idempotent, so a
 * retry or a redelivery after a crash stores nothing twice.
 */
@Injectable()
export class LogWriterProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogWriterProcessor.name);
  private readonly groupCommit: GroupCommit;
  private worker?: Worker<IngestJobData, StoreBatchOutcome>;

  constructor(
    private readonly repository: RequestLogRepository,
    private readonly rollups: RollupRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: LogMetrics,
  ) {
    const { writesInFlight, maxWriteRecords } = config.worker;
    this.groupCommit = new GroupCommit(
      (batches) => this.metrics.timeWrite(batches.length, () => this.repository.storeBatches(batches, this.rollups.derivedWrites)),
      { writesInFlight, maxRecords: maxWriteRecords, mayBeOneBatch: refusedForItsData },
    );
  }

  /**
   * Starts consuming once the app is up. A worker killed mid-batch (kill -9) leaves its jobs locked
   * until the lock expires; the stalled check then redelivers them. Writes are idempotent, so a job
   * may stall several times (WORKER_MAX_STALLED_COUNT) before BullMQ gives up on it and moves it to
   * the failed set.
   */
  onApplicationBootstrap(): void {
    const { concurrency, lockDurationMs, stalledIntervalMs, maxStalledCount } = this.config.worker;
    this.worker = new Worker<IngestJobData, StoreBatchOutcome>(INGEST_QUEUE, (job) => this.process(job), {
      connection: redisConnection(this.config.redis.url, 'consumer'),
      prefix: this.config.queue.prefix,
      concurrency,
      lockDuration: lockDurationMs,
      lockRenewTime: lockDurationMs / 2,
      stalledInterval: stalledIntervalMs,
      maxStalledCount,
    });
    // Without a listener an 'error' event (Redis away) would crash the process; BullMQ reconnects by itself.
    const warn = throttledWarning(this.logger);
    this.worker.on('error', (err) => warn(`ingest worker: ${err.message}`));
  }

  /** Stop taking jobs and let the ones in hand finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.logger.log('ingest worker closed: no new jobs taken, batches in hand finished');
  }

  async process(job: Job<IngestJobData>): Promise<StoreBatchOutcome> {
    // Rollups are counted from the rows really inserted, in the insert's own transaction: never
    // twice; metrics likewise, after the commit.
    const stored = await this.groupCommit.store({ records: jobRecords(job.data), receivedAt: job.data.receivedAt }).catch((err: unknown) => {
      this.metrics.observeFailed();
      throw err;
    });
    this.metrics.observeStored(stored);
    return { inserted: stored.inserted.length, duplicates: stored.duplicates };
  }
}
