import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { createIngestWorker, IngestJobData, ingestQueueSettings, jobRecords, QUEUE_CONFIG, type QueueConfig } from '#libs/queue';
import { REDIS_CONFIG, type RedisConfig, throttledWarning } from '#libs/redis';
import { BatchWriter, type QueuedBatch, type StoreResult, mergeStored } from '#libs/store';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { LogMetrics } from './log-metrics.js';
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
 * The one consumer of the ingest queue, a thin adapter: decode the job, hand it to the store's
 * BatchWriter (libs/store/src/writer/batch-writer.ts: the exactly-once invariant), record metrics.
 * A job completes when each of its records is stored or parked in the dead letter with why. Any other
 * failure rejects the job (never caught), and BullMQ retries it with the backoff configured in
 * ingestJobOptions; the writer's idempotence makes a retry store, park and count nothing twice.
 */
@Injectable()
export class LogWriterProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogWriterProcessor.name);
  private worker?: Worker<IngestJobData, StoreBatchOutcome>;

  constructor(
    private readonly writer: BatchWriter,
    @Inject(WORKER_CONFIG.token) private readonly config: WorkerConfig,
    @Inject(REDIS_CONFIG.token) private readonly redis: RedisConfig,
    @Inject(QUEUE_CONFIG.token) private readonly queue: QueueConfig,
    private readonly metrics: LogMetrics,
    private readonly deadLetterMetrics: DeadLetterMetrics,
  ) {
    writer.timeGroupWritesWith((batches, write) => metrics.timeWrite(batches, write));
  }

  /**
   * Starts consuming once the app is up. A worker killed mid-batch (kill -9) leaves its jobs locked
   * until the lock expires; the stalled check then redelivers them. Writes are idempotent, so a job
   * may stall several times (WORKER_MAX_STALLED_COUNT) before BullMQ gives up on it and moves it to
   * the failed set.
   */
  onApplicationBootstrap(): void {
    const warn = throttledWarning(this.logger);
    this.worker = createIngestWorker(
      ingestQueueSettings({ redis: this.redis, queue: this.queue }),
      (job) => this.store(takeBatch(job)),
      this.config,
      (err) => warn(`ingest worker: ${err.message}`),
    );
  }

  /** Stop taking jobs and let the ones in hand finish before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.logger.log('ingest worker closed: no new jobs taken, batches in hand finished');
  }

  /** Stores the batch of a job handed in directly (the tests deliver one job twice): its records stay in the job. */
  async process(job: Job<IngestJobData>): Promise<StoreBatchOutcome> {
    return this.store(batchOf(job));
  }

  private async store(batch: QueuedBatch): Promise<StoreBatchOutcome> {
    // Metrics count what committed, after each commit, also the parts stored of a job that then fails.
    const stored: StoreResult[] = [];
    try {
      const { inserted, duplicates, parked } = await this.writer.write(batch, stored);
      return { inserted, duplicates, ...this.deadLetterMetrics.observeParked(parked) };
    } catch (err) {
      this.metrics.observeFailed();
      throw err;
    } finally {
      if (stored.length > 0) this.metrics.observeStored(mergeStored(stored));
    }
  }
}

/** A job's records and where they came from, decoded once. */
function batchOf(job: Job<IngestJobData>): QueuedBatch {
  const { receivedAt, ingestKeyId } = job.data;
  return {
    records: jobRecords(job.data),
    receivedAt,
    ingestKeyId: ingestKeyId ?? null,
    jobId: job.id === undefined ? null : String(job.id),
  };
}

/**
 * batchOf for a delivered job, whose decoded rows are then dropped from the Job BullMQ holds until the
 * job completes (only in this process: Redis keeps the job whole, and a retry is read from there).
 * With Postgres the slowest stage, up to WORKER_CONCURRENCY jobs wait in hand for their write; holding
 * each batch once rather than twice (rows and records) halved the bytes every scavenge copied and
 * promoted, and the worker's GC time with them (docs/benchmarks.md).
 */
function takeBatch(job: Job<IngestJobData>): QueuedBatch {
  const batch = batchOf(job);
  job.data = { receivedAt: job.data.receivedAt, source: job.data.source, ingestKeyId: job.data.ingestKeyId };
  return batch;
}
