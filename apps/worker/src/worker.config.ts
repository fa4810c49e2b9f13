import { AUTH_CONFIG } from '#libs/auth';
import type { ComposedConfig } from '#libs/config';
import { DATABASE_CONFIG } from '#libs/database';
import { HTTP_CONFIG } from '#libs/http-errors';
import { REQUEST_METRICS_CONFIG, WORKER_CONFIG } from '#libs/log-writer';
import { METRICS_CONFIG } from '#libs/metrics';
import { QUEUE_CONFIG } from '#libs/queue';
import { REDIS_CONFIG } from '#libs/redis';
import { STORE_CONFIG } from '#libs/store';

/** The config slices of the libs the worker runs: what it validates at start-up. */
export const WORKER_CONFIG_SLICES = [
  HTTP_CONFIG,
  DATABASE_CONFIG,
  REDIS_CONFIG,
  QUEUE_CONFIG,
  WORKER_CONFIG,
  STORE_CONFIG,
  AUTH_CONFIG,
  METRICS_CONFIG,
  REQUEST_METRICS_CONFIG,
] as const;

export type WorkerConfig = ComposedConfig<typeof WORKER_CONFIG_SLICES>;
