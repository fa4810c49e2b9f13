import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/** The worker's consumer of the ingest queue: how many jobs it holds, how it groups writes, BullMQ's locks. */
export const WORKER_CONFIG = defineConfigSlice({
  key: 'worker',
  variables: {
    // Jobs in hand: well over WORKER_WRITES_IN_FLIGHT, so batches arriving while Postgres writes wait and are
    // written together (bench:ingest, HTTP: 16 → ~4 batches per write; 8 → ~2, and ~10% fewer records/s).
    WORKER_CONCURRENCY: positiveInt.max(64).default(16),
    // 2 lets the worker format the next group while Postgres writes another.
    WORKER_WRITES_IN_FLIGHT: positiveInt.max(16).default(2),
    WORKER_MAX_WRITE_RECORDS: positiveInt.max(100_000).default(10_000),
    WORKER_LOCK_DURATION_MS: positiveInt.default(30_000),
    WORKER_STALLED_INTERVAL_MS: positiveInt.default(30_000),
    WORKER_MAX_STALLED_COUNT: positiveInt.default(10),
  },
  build: (env) => ({
    concurrency: env.WORKER_CONCURRENCY,
    writesInFlight: env.WORKER_WRITES_IN_FLIGHT,
    maxWriteRecords: env.WORKER_MAX_WRITE_RECORDS,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  }),
});
export type WorkerConfig = SliceValue<typeof WORKER_CONFIG>;
