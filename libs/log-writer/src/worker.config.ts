import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/**
 * The worker's consumer of the ingest queue: how many jobs it holds, BullMQ's locks
 * (how the writes are grouped is the store's: STORE_CONFIG).
 */
export const WORKER_CONFIG = defineConfigSlice({
  key: 'worker',
  variables: {
    // Jobs in hand: well over WORKER_WRITES_IN_FLIGHT, so batches arriving while Postgres writes wait and are
    // written together (bench:ingest, HTTP: 16 → ~4 batches per write; 8 → ~2, and ~10% fewer records/s).
    WORKER_CONCURRENCY: positiveInt.max(64).default(16),
    WORKER_LOCK_DURATION_MS: positiveInt.default(30_000),
    WORKER_STALLED_INTERVAL_MS: positiveInt.default(30_000),
    WORKER_MAX_STALLED_COUNT: positiveInt.default(10),
  },
  build: (env) => ({
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  }),
});
export type WorkerConfig = SliceValue<typeof WORKER_CONFIG>;
