import { AUTH_CONFIG } from '#libs/auth';
import type { ComposedConfig } from '#libs/config';
import { DATABASE_CONFIG } from '#libs/database';
import { HTTP_CONFIG } from '#libs/http-errors';
import { INGEST_CONFIG } from '#libs/ingest';
import { METRICS_CONFIG } from '#libs/metrics';
import { PRODUCER_CONFIG, QUEUE_CONFIG } from '#libs/queue';
import { REDIS_CONFIG } from '#libs/redis';
import { RATE_LIMIT_CONFIG } from '#libs/rate-limit';
import { REDACTION_CONFIG } from '#libs/redaction';
import { SEARCH_CONFIG } from '#libs/search';

/** The config slices of the libs the api runs: what it validates at start-up. */
export const API_CONFIG_SLICES = [
  HTTP_CONFIG,
  DATABASE_CONFIG,
  REDIS_CONFIG,
  QUEUE_CONFIG,
  PRODUCER_CONFIG,
  INGEST_CONFIG,
  REDACTION_CONFIG,
  AUTH_CONFIG,
  RATE_LIMIT_CONFIG,
  SEARCH_CONFIG,
  METRICS_CONFIG,
] as const;

export type ApiConfig = ComposedConfig<typeof API_CONFIG_SLICES>;
