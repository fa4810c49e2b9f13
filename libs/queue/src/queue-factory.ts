import { hostname } from 'node:os';
import { pid } from 'node:process';
import { type DefaultJobOptions, type Job, Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { type ConnectionRole, type RedisConfig, redisConnection } from '#libs/redis';
import { type IngestJobData, INGEST_QUEUE } from './ingest-queue.js';
import type { QueueConfig } from './queue.config.js';

/** Where the ingest queue lives and how its jobs retry: everything its Queue and Worker are built from. */
export interface IngestQueueSettings {
  redisUrl: string;
  /** BullMQ key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** JOB_ATTEMPTS, JOB_BACKOFF_MS, JOB_KEEP_COMPLETED. */
  jobAttempts: number;
  jobBackoffMs: number;
  keepCompleted: number;
}

/** How the one consumer takes jobs (WORKER_CONCURRENCY, WORKER_LOCK_DURATION_MS, …). */
export interface IngestWorkerTuning {
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

/** The queue settings of the service's configuration. */
export function ingestQueueSettings(config: { redis: RedisConfig; queue: QueueConfig }): IngestQueueSettings {
  return { redisUrl: config.redis.url, prefix: config.redis.keyPrefix, ...config.queue };
}

/** Retries, backoff and retention of finished jobs: configured here and nowhere else. */
function ingestJobOptions(settings: IngestQueueSettings): DefaultJobOptions {
  return {
    attempts: settings.jobAttempts,
    backoff: { type: 'exponential', delay: settings.jobBackoffMs },
    // A completed job still holds its whole batch (~0.2 MB per 1000 records, 12 MB for a 10 MB body) in
    // Redis memory and AOF, and its rows are in Postgres now: by default (JOB_KEEP_COMPLETED=0) it goes
    // in the same script that completes it. What a completed batch leaves to inspect is in Postgres
    // (received_at/stored_at of each row) and in the write metrics; keeping jobs is for debugging only.
    removeOnComplete: settings.keepCompleted > 0 ? { age: 3600, count: settings.keepCompleted } : true,
    // Failed batches stay for a week so they can be inspected and retried, never silently dropped.
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * The one place an ingest Queue is built (the api's and worker's Nest module, the shipper's queue
 * sink, the CLIs), so every producer talks to the same keys with the same connection rules and job
 * options. `role` picks fail-fast (producer) or patient (consumer) connections. Connection errors
 * are reported to `onError` (by default ignored): without a listener an 'error' event would crash
 * the process, or the application the shipper runs in, while Redis is away.
 */
export function createIngestQueue(
  settings: IngestQueueSettings,
  role: ConnectionRole,
  onError: (err: Error) => void = () => undefined,
): Queue<IngestJobData> {
  const connection = redisConnection(settings.redisUrl, role);
  const queue = new Queue<IngestJobData>(INGEST_QUEUE, {
    connection,
    prefix: settings.prefix,
    defaultJobOptions: ingestJobOptions(settings),
  });
  queue.on('error', onError);
  // A cluster client is handed to BullMQ built (redisConnection), and a Queue leaves a client it was
  // handed open on close(): this queue is its only user, so it goes with it.
  if (connection instanceof Cluster) {
    const close = queue.close.bind(queue);
    queue.close = () => close().finally(() => connection.disconnect());
  }
  return queue;
}

/**
 * The one place the ingest Worker is built (the worker app's processor), on the same keys as the
 * queue, with a consumer connection (BullMQ workers wait for Redis forever). Errors go to `onError`:
 * without a listener an 'error' event (Redis away) would crash the process; BullMQ reconnects by itself.
 */
export function createIngestWorker<Result>(
  settings: IngestQueueSettings,
  process: (job: Job<IngestJobData>) => Promise<Result>,
  tuning: IngestWorkerTuning,
  onError: (err: Error) => void,
): Worker<IngestJobData, Result> {
  const worker = new Worker<IngestJobData, Result>(INGEST_QUEUE, process, {
    connection: redisConnection(settings.redisUrl, 'consumer'),
    prefix: settings.prefix,
    concurrency: tuning.concurrency,
    // Stored on each job it takes (`processedBy`): which replica holds or held a batch, when several run.
    name: `${hostname()}:${pid}`,
    lockDuration: tuning.lockDurationMs,
    lockRenewTime: tuning.lockDurationMs / 2,
    stalledInterval: tuning.stalledIntervalMs,
    maxStalledCount: tuning.maxStalledCount,
  });
  worker.on('error', onError);
  return worker;
}
