import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/** How far ahead daily partitions are made and how long rows, dead letters and rollups are kept. To move to libs/store. */
export const STORE_CONFIG = defineConfigSlice({
  key: 'store',
  variables: {
    PARTITIONS_AHEAD_DAYS: positiveInt.max(60).default(3),
    RETENTION_DAYS: positiveInt.default(90),
    ROLLUP_RETENTION_DAYS: positiveInt.max(3660).default(400),
  },
  build: (env) => ({ partitionsAheadDays: env.PARTITIONS_AHEAD_DAYS, retentionDays: env.RETENTION_DAYS, rollupRetentionDays: env.ROLLUP_RETENTION_DAYS }),
});
export type StoreConfig = SliceValue<typeof STORE_CONFIG>;
