import { Queue } from 'bullmq';
import type { AccessLogRecord } from '#libs/access-log';
import { QUEUE_DEFAULTS } from '#libs/config';
import { INGEST_JOB, INGEST_QUEUE, type IngestJobData, ingestJobData, ingestJobOptions, redisConnection, withTimeout } from '#libs/queue';
import type { LogSink } from './log-sink.js';

export interface QueueSinkOptions {
  redisUrl: string;
  /** BullMQ key prefix of the service (its QUEUE_PREFIX). */
  prefix?: string;
  /** Retries of a batch the worker fails to store, as the service's JOB_ATTEMPTS / JOB_BACKOFF_MS. */
  jobAttempts?: number;
  jobBackoffMs?: number;
  /** Longest an enqueue may take before the batch goes back to the buffer. */
  enqueueTimeoutMs?: number;
}

/**
 * Enqueues batches on the service's ingest queue, in exactly the job format its HTTP ingest
 * produces, so the one worker stores both. The connection fails fast while Redis is away, and the
 * shipper keeps the batch buffered instead. An enqueue that timed out but still landed is sent again
 * later; the worker's idempotent write stores it once.
 */
export function queueSink(options: QueueSinkOptions): LogSink {
  const queue = new Queue<IngestJobData>(INGEST_QUEUE, {
    connection: redisConnection(options.redisUrl, 'producer'),
    prefix: options.prefix ?? 'verilock',
    defaultJobOptions: ingestJobOptions({
      queue: {
        prefix: options.prefix ?? 'verilock',
        jobAttempts: options.jobAttempts ?? QUEUE_DEFAULTS.jobAttempts,
        jobBackoffMs: options.jobBackoffMs ?? QUEUE_DEFAULTS.jobBackoffMs,
        keepCompleted: QUEUE_DEFAULTS.keepCompleted,
      },
    }),
  });
  // Without a listener, a connection error event would crash the host application.
  queue.on('error', () => undefined);
  return {
    async send(records: AccessLogRecord[]) {
      await withTimeout(queue.add(INGEST_JOB, ingestJobData(records, new Date().toISOString(), 'shipper')), options.enqueueTimeoutMs ?? 2000, 'enqueue');
    },
    close: () => queue.close(),
  };
}
