import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/**
 * The store: how it writes (the group commit of the worker's batches) and how long it keeps what it
 * wrote (daily partitions made ahead, rows, dead letters and rollups kept). The write knobs keep their
 * WORKER_ names: they tune the worker's writes, which the store performs.
 */
export const STORE_CONFIG = defineConfigSlice({
  key: 'store',
  variables: {
    // 2 lets the worker format the next group while Postgres writes another.
    WORKER_WRITES_IN_FLIGHT: positiveInt.max(16).default(2),
    WORKER_MAX_WRITE_RECORDS: positiveInt.max(100_000).default(10_000),
    PARTITIONS_AHEAD_DAYS: positiveInt.max(60).default(3),
    RETENTION_DAYS: positiveInt.default(90),
    ROLLUP_RETENTION_DAYS: positiveInt.max(3660).default(400),
  },
  build: (env) => ({
    writesInFlight: env.WORKER_WRITES_IN_FLIGHT,
    maxWriteRecords: env.WORKER_MAX_WRITE_RECORDS,
    partitionsAheadDays: env.PARTITIONS_AHEAD_DAYS,
    retentionDays: env.RETENTION_DAYS,
    rollupRetentionDays: env.ROLLUP_RETENTION_DAYS,
  }),
});
export type StoreConfig = SliceValue<typeof STORE_CONFIG>;
