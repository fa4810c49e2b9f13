/**
 * TRANSITION (issue 16) — delete once libs/queue, libs/log-writer, libs/request-store, libs/rollups and
 * the request metrics inject their own slices. Until then ConfigModule also provides, under APP_CONFIG,
 * the part of the old single nested object those libs still read, in the same shape as before.
 */
export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  redis: { url: string };
  queue: { prefix: string; jobAttempts: number; jobBackoffMs: number; keepCompleted: number };
  worker: {
    concurrency: number;
    writesInFlight: number;
    maxWriteRecords: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
    maxStalledCount: number;
  };
  partitions: { aheadDays: number; retentionDays: number };
  rollups: { retentionDays: number };
  metrics: { maxRoutes: number; maxApiKeys: number; maxErrorCodes: number; maxSeries: number; labelRerankSeconds: number; renderCacheMs: number };
}

/** The slices the old object is made of; an app that composes fewer leaves the rest undefined (it never reads them). */
interface LegacySources {
  redis?: { url: string; keyPrefix: string };
  queue?: Omit<AppConfig['queue'], 'prefix'>;
  worker?: AppConfig['worker'];
  store?: { partitionsAheadDays: number; retentionDays: number; rollupRetentionDays: number };
  metrics?: AppConfig['metrics'];
}

export function legacyAppConfig(config: LegacySources): AppConfig {
  const { redis, queue, worker, store, metrics } = config;
  return {
    redis: redis && { url: redis.url },
    queue: redis && queue && { prefix: redis.keyPrefix, ...queue },
    worker,
    partitions: store && { aheadDays: store.partitionsAheadDays, retentionDays: store.retentionDays },
    rollups: store && { retentionDays: store.rollupRetentionDays },
    metrics,
  } as AppConfig;
}
