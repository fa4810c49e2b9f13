import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/**
 * Defaults of what every producer of ingest jobs applies (validation window, job size, backpressure),
 * shared with producers outside the service (the log shipper's queue sink) so a record is treated the
 * same whichever way it arrives.
 */
export const PRODUCER_DEFAULTS = {
  jobBatchSize: 1000,
  maxFutureSkewSeconds: 24 * 3600,
  maxAgeDays: 90,
  maxBacklog: 5000,
  // Under the ~1 GiB a small Redis is given; each 1000 queued records hold ~0.2 MB (see README).
  maxRedisMemoryBytes: 768 * 1024 * 1024,
} as const;

/** The ingest job producer's settings (IngestJobProducer): its variables keep their INGEST_ names. */
export const PRODUCER_CONFIG = defineConfigSlice({
  key: 'producer',
  variables: {
    INGEST_JOB_BATCH_SIZE: positiveInt.max(10_000).default(PRODUCER_DEFAULTS.jobBatchSize),
    INGEST_ENQUEUE_TIMEOUT_MS: positiveInt.default(1000),
    INGEST_MAX_FUTURE_SKEW_SECONDS: positiveInt.default(PRODUCER_DEFAULTS.maxFutureSkewSeconds),
    INGEST_MAX_AGE_DAYS: positiveInt.default(PRODUCER_DEFAULTS.maxAgeDays),
    INGEST_MAX_BACKLOG: positiveInt.default(PRODUCER_DEFAULTS.maxBacklog),
    INGEST_MAX_REDIS_MEMORY_BYTES: positiveInt.default(PRODUCER_DEFAULTS.maxRedisMemoryBytes),
  },
  build: (env) => ({
    limits: { maxFutureSkewSeconds: env.INGEST_MAX_FUTURE_SKEW_SECONDS, maxAgeDays: env.INGEST_MAX_AGE_DAYS },
    jobBatchSize: env.INGEST_JOB_BATCH_SIZE,
    enqueueTimeoutMs: env.INGEST_ENQUEUE_TIMEOUT_MS,
    maxBacklog: env.INGEST_MAX_BACKLOG,
    maxRedisMemoryBytes: env.INGEST_MAX_REDIS_MEMORY_BYTES,
  }),
});
export type ProducerConfig = SliceValue<typeof PRODUCER_CONFIG>;
