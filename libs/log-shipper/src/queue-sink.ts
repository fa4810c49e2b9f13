import type { AccessLogRecord } from '#libs/access-log';
import { csv } from '#libs/config';
import { createIngestQueue, IngestJobProducer, PRODUCER_DEFAULTS, QUEUE_DEFAULTS, QueueRefusal } from '#libs/queue';
import { type ClientIpMode, REDACTION_DEFAULTS, Redactor } from '#libs/redaction';
import { queueKeyPrefix, redisClient, withTimeout } from '#libs/redis';
import { SourceHealthRecorder, SourceHealthStore } from '#libs/source-health';
import { type LogSink, PermanentSinkError, type SinkResult } from './log-sink.js';

export interface QueueSinkOptions {
  redisUrl: string;
  /** BullMQ key prefix of the service (its QUEUE_PREFIX). */
  prefix?: string;
  /** Retries of a batch the worker fails to store, as the service's JOB_ATTEMPTS / JOB_BACKOFF_MS. */
  jobAttempts?: number;
  jobBackoffMs?: number;
  /** Longest an enqueue may take before the batch goes back to the buffer. */
  enqueueTimeoutMs?: number;
  /** The service's REDACT_FIELDS (comma-separated), CLIENT_IP_MODE and CLIENT_IP_HASH_KEY. */
  redactFields?: string;
  clientIpMode?: ClientIpMode;
  clientIpHashKey?: string;
  /** The service's INGEST_MAX_BACKLOG and INGEST_MAX_REDIS_MEMORY_BYTES: past them the batch stays buffered. */
  maxBacklog?: number;
  maxRedisMemoryBytes?: number;
}

/**
 * Enqueues batches on the service's ingest queue through the same IngestJobProducer as its HTTP
 * ingest — validated, redacted (REDACT_FIELDS, CLIENT_IP_MODE), encoded, refused under
 * backpressure — so the one worker stores both alike. Set the options the service sets in its
 * environment (the defaults are the service's). The connection fails fast while Redis is away or
 * the backlog is full, and the shipper keeps the batch buffered instead. An enqueue that timed out
 * but still landed is sent again later; the worker's idempotent write stores it once.
 */
export function queueSink(options: QueueSinkOptions): LogSink {
  // The service's prefix as its own config derives it: a hash tag on a cluster.
  const prefix = queueKeyPrefix(options.redisUrl, options.prefix ?? 'verilock');
  const queue = createIngestQueue(
    {
      redisUrl: options.redisUrl,
      prefix,
      jobAttempts: options.jobAttempts ?? QUEUE_DEFAULTS.jobAttempts,
      jobBackoffMs: options.jobBackoffMs ?? QUEUE_DEFAULTS.jobBackoffMs,
      keepCompleted: QUEUE_DEFAULTS.keepCompleted,
    },
    'producer',
  );
  const redaction = {
    fields: csv(options.redactFields ?? REDACTION_DEFAULTS.redactFields),
    clientIpMode: options.clientIpMode ?? REDACTION_DEFAULTS.clientIpMode,
    clientIpHashKey: options.clientIpHashKey,
  };
  const producer = new IngestJobProducer(queue, {
    limits: { maxFutureSkewSeconds: PRODUCER_DEFAULTS.maxFutureSkewSeconds, maxAgeDays: PRODUCER_DEFAULTS.maxAgeDays },
    redaction,
    jobBatchSize: PRODUCER_DEFAULTS.jobBatchSize,
    enqueueTimeoutMs: options.enqueueTimeoutMs ?? 2000,
    maxBacklog: options.maxBacklog ?? PRODUCER_DEFAULTS.maxBacklog,
    maxRedisMemoryBytes: options.maxRedisMemoryBytes ?? PRODUCER_DEFAULTS.maxRedisMemoryBytes,
  });
  // The service's ingest health per source (GET /v1/admin/ingest/sources) hears of `shipper` from here: this sink
  // never passes the api. Diagnostics only: a Redis away fails the sends anyway, so its flush warnings are dropped.
  // Its commands wait for the connection (a sink closed right after its first send still reports); close bounds the wait.
  const healthRedis = redisClient(options.redisUrl, 'producer', true);
  healthRedis.on('error', () => undefined);
  const health = new SourceHealthRecorder(new SourceHealthStore(healthRedis, prefix), new Redactor(redaction), () => undefined);
  health.start();
  return {
    async send(records: AccessLogRecord[]): Promise<SinkResult> {
      const batch = await producer.prepare(
        records.map((value, index) => ({ index, value })),
        { receivedAt: new Date(), source: 'shipper', ingestKeyId: null },
      );
      health.observeValidated('shipper', batch);
      if (batch.accepted === 0)
        throw new PermanentSinkError(`no record of the batch is valid: ${JSON.stringify(batch.rejected.slice(0, 3))}`);
      // A QueueRefusal (backlog full, Redis away) is temporary: the shipper keeps the batch and retries.
      await producer.enqueue(batch).catch((err: unknown) => {
        if (err instanceof QueueRefusal) health.observeRefused('shipper', batch.accepted);
        throw err;
      });
      health.observeAccepted('shipper', batch.accepted);
      return { rejected: batch.rejectedCount };
    },
    async close() {
      await withTimeout(health.stop(), 2000, 'source health flush').catch(() => undefined);
      healthRedis.disconnect();
      await queue.close();
    },
  };
}
