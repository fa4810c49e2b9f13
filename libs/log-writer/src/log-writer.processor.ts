import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { LogMetrics } from '#libs/metrics';
import { createIngestWorker, IngestJobData, ingestQueueSettings, jobRecords, QUEUE_CONFIG, type QueueConfig } from '#libs/queue';
import { REDIS_CONFIG, type RedisConfig, throttledWarning } from '#libs/redis';
import { type BatchToStore, RequestLogRepository, type StoreResult, refusedForARecord, refusedForItsData } from '#libs/request-store';
import { RollupRepository } from '#libs/rollups';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { DeadLetterWriter, countParked } from './dead-letter-writer.js';
import { GroupCommit } from './group-commit.js';
import { type RefusedRecord, storeIsolating } from './record-isolation.js';
import { WORKER_CONFIG, type WorkerConfig } from './worker.config.js';

export interface StoreBatchOutcome {
  /** Rows this delivery inserted. */
  inserted: number;
  /** Records of the batch that were already stored (redelivery, resent record, conflicting duplicate). */
  duplicates: number;
  /** Records Postgres refused that this delivery parked in the dead letter (0 when parked by an earlier one). */
  deadLettered: number;
  /** Conflicting duplicates this delivery parked in the dead letter (likewise). */
  conflicting: number;
}

/**
 * The one consumer of the ingest queue. A job completes when each of its records is stored or parked
 * in the dead letter with why. Any other failure rejects the job (never caught), and BullMQ retries it
 * with the backoff configured in ingestJobOptions. Writes and parking are idempotent, so a retry or a
 * redelivery after a crash stores, parks and counts nothing twice.
 */
@Injectable()
export class LogWriterProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogWriterProcessor.name);
  private readonly groupCommit: GroupCommit;
  private worker?: Worker<IngestJobData, StoreBatchOutcome>;

  constructor(
    private readonly repository: RequestLogRepository,
    private readonly rollups: RollupRepository,
    @Inject(WORKER_CONFIG.token) private readonly config: WorkerConfig,
    @Inject(REDIS_CONFIG.token) private readonly redis: RedisConfig,
    @Inject(QUEUE_CONFIG.token) private readonly queue: QueueConfig,
    private readonly metrics: LogMetrics,
    private readonly deadLetters: DeadLetterWriter,
    private readonly deadLetterMetrics: DeadLetterMetrics,
  ) {
    const { writesInFlight, maxWriteRecords } = config;
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
    const warn = throttledWarning(this.logger);
    this.worker = createIngestWorker(ingestQueueSettings({ redis: this.redis, queue: this.queue }), (job) => this.process(job), this.config, (err) => warn(`ingest worker: ${err.message}`));
  }

  /** Stop taking jobs and let the ones in hand finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.logger.log('ingest worker closed: no new jobs taken, batches in hand finished');
  }

  async process(job: Job<IngestJobData>): Promise<StoreBatchOutcome> {
    const batch: BatchToStore = { records: jobRecords(job.data), receivedAt: job.data.receivedAt, ingestKeyId: job.data.ingestKeyId ?? null };
    // Rollups are counted from the rows really inserted, in the insert's own transaction: never
    // twice; metrics likewise, after each commit, also for the parts stored of a job that then fails.
    const stored: StoreResult[] = [];
    try {
      const refused = await this.store(batch, stored);
      const parked = await this.deadLetters.park(job, refused, stored.flatMap((r) => r.conflicting));
      this.deadLetterMetrics.observeParked(parked);
      const { inserted, duplicates } = merged(stored);
      return { inserted: inserted.length, duplicates, ...countParked(parked) };
    } catch (err) {
      this.metrics.observeFailed();
      throw err;
    } finally {
      if (stored.length > 0) this.metrics.observeStored(merged(stored));
    }
  }

  /** Stores the batch, through the group commit; if Postgres refuses it for some record's data, stores the rest and returns the refused records. */
  private async store(batch: BatchToStore, stored: StoreResult[]): Promise<RefusedRecord[]> {
    try {
      stored.push(await this.groupCommit.store(batch));
      return [];
    } catch (err) {
      if (!refusedForARecord(err)) throw err;
      return storeIsolating(batch, err, (part) => this.groupCommit.store(part), stored);
    }
  }
}

/** One result for the parts of a batch stored one by one. */
function merged(results: readonly StoreResult[]): Pick<StoreResult, 'inserted' | 'duplicates'> {
  return results.length === 1 ? results[0]! : { inserted: results.flatMap((r) => r.inserted), duplicates: results.reduce((n, r) => n + r.duplicates, 0) };
}
