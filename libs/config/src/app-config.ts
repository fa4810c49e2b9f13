import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
/** `false`, `true`, a hop count, or a list of proxy addresses/subnets (Express's forms, checked here). */
const trustProxy = z
  .string()
  .refine((v) => /^(true|false|\d+)$/.test(v) || csv(v).every((item) => PROXY_NAMES.includes(item) || isAddressOrSubnet(item)), {
    message: `must be true, false, a number of hops, or a comma-separated list of ${PROXY_NAMES.join(', ')}, IP addresses and CIDR subnets`,
  })
  .transform((v): boolean | number | string[] => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : csv(v)));

/**
 * Job settings of the ingest queue, shared with producers outside the service (the log shipper's
 * queue sink) so their jobs retry and expire like the api's.
 */
export const QUEUE_DEFAULTS = {
  jobAttempts: 12,
  jobBackoffMs: 1000,
  // Completed jobs keep their whole batch in Redis memory (and in every AOF rewrite): none by default.
  keepCompleted: 0,
} as const;

/**
 * Defaults of what every producer of ingest jobs applies (validation window, job size, backpressure,
 * redaction), shared with producers outside the service (the log shipper's queue sink) so a record
 * is treated the same whichever way it arrives.
 */
export const PRODUCER_DEFAULTS = {
  jobBatchSize: 1000,
  maxFutureSkewSeconds: 24 * 3600,
  maxAgeDays: 90,
  maxBacklog: 5000,
  // Under the ~1 GiB a small Redis is given; each 1000 queued records hold ~0.2 MB (docs/architecture.md).
  maxRedisMemoryBytes: 768 * 1024 * 1024,
  redactFields:
    'password,passwd,secret,token,access_token,refresh_token,authorization,api_key,apikey,x-api-key,passphrase,pwd,credential,credentials,auth,jwt,session_id,sessionid,signature,cookie,set-cookie,client_secret,private_key',
  clientIpMode: 'full',
} as const;

/** Every environment variable the service reads, with its default. Nothing else reads process.env. */
const EnvSchema = z.object({
  DATABASE_URL: z.string().url(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  // Every statement of the api (reads for support staff and dashboards) is cancelled by Postgres after this
  // long and answered 503: a hostile or careless query cannot hold a connection. Never the worker's writes.
  API_QUERY_TIMEOUT_MS: positiveInt.max(600_000).default(5000),
  // Cells (series × buckets) one error-rates answer may hold; ~20k cells is ~2 MB of JSON.
  ERROR_RATES_MAX_POINTS: positiveInt.max(1_000_000).default(20_000),
  REDIS_URL: z.string().url(),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('verilock'),
  HOST: z.string().default('0.0.0.0'),
  API_PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  INGEST_MAX_BODY_BYTES: positiveInt.default(10 * 1024 * 1024),
  INGEST_JOB_BATCH_SIZE: positiveInt.max(10_000).default(PRODUCER_DEFAULTS.jobBatchSize),
  INGEST_ENQUEUE_TIMEOUT_MS: positiveInt.default(1000),
  INGEST_RETRY_AFTER_SECONDS: positiveInt.default(5),
  INGEST_MAX_FUTURE_SKEW_SECONDS: positiveInt.default(PRODUCER_DEFAULTS.maxFutureSkewSeconds),
  INGEST_MAX_AGE_DAYS: positiveInt.default(PRODUCER_DEFAULTS.maxAgeDays),
  // Bounds the work and memory of one request whatever its records look like (a 10 MiB body of valid
  // records holds ~35k–95k of them).
  INGEST_MAX_RECORDS_PER_REQUEST: positiveInt.default(100_000),
  // Jobs in hand: well over WORKER_WRITES_IN_FLIGHT, so batches arriving while Postgres writes wait and are
  // written together (bench:ingest, HTTP: 16 → ~4 batches per write; 8 → ~2, and ~10% fewer records/s).
  WORKER_CONCURRENCY: positiveInt.max(64).default(16),
  // 2 lets the worker format the next group while Postgres writes another.
  WORKER_WRITES_IN_FLIGHT: positiveInt.max(16).default(2),
  WORKER_MAX_WRITE_RECORDS: positiveInt.max(100_000).default(10_000),
  JOB_ATTEMPTS: positiveInt.default(QUEUE_DEFAULTS.jobAttempts),
  JOB_BACKOFF_MS: positiveInt.default(QUEUE_DEFAULTS.jobBackoffMs),
  JOB_KEEP_COMPLETED: z.coerce.number().int().min(0).default(QUEUE_DEFAULTS.keepCompleted),
  PARTITIONS_AHEAD_DAYS: positiveInt.max(60).default(3),
  ROLLUP_RETENTION_DAYS: positiveInt.max(3660).default(400),
  METRICS_MAX_ROUTES: positiveInt.default(200),
  METRICS_MAX_API_KEYS: positiveInt.default(100),
  METRICS_MAX_ERROR_CODES: positiveInt.default(50),
  // Samples of the request metrics together; at least the ~700 the fully folded series need. A render
  // costs ~4 µs of CPU per sample here (10k: ~40 ms, 21k: ~100 ms; docs/limits/metrics.md).
  METRICS_MAX_SERIES: positiveInt.min(1000).default(10_000),
  METRICS_LABEL_RERANK_SECONDS: positiveInt.default(60),
  METRICS_RENDER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  BOOTSTRAP_ADMIN_KEY: z.string().min(16).optional(),
  HEALTH_REQUIRE_KEY: bool.default(false),
  METRICS_REQUIRE_KEY: bool.default(false),
  AUTH_PUBLIC_PATHS: z.string().default('/docs,/support'),
  AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).default(30),
  // Unknown or revoked key digests remembered per process, so a repeated wrong key costs no query.
  AUTH_UNKNOWN_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  AUTH_MAX_FAILURES_PER_MINUTE: positiveInt.default(30),
  // Express's "trust proxy": which hops may set X-Forwarded-For, so req.ip is the real client.
  TRUST_PROXY: trustProxy.default(false),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(5_000),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  RATE_LIMIT_INGEST_PER_WINDOW: positiveInt.default(600),
  RATE_LIMIT_QUERY_PER_WINDOW: positiveInt.default(1200),
  INGEST_MAX_BACKLOG: positiveInt.default(PRODUCER_DEFAULTS.maxBacklog),
  INGEST_MAX_REDIS_MEMORY_BYTES: positiveInt.default(PRODUCER_DEFAULTS.maxRedisMemoryBytes),
  WORKER_LOCK_DURATION_MS: positiveInt.default(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  WORKER_MAX_STALLED_COUNT: positiveInt.default(10),
  RETENTION_DAYS: positiveInt.default(90),
  REDACT_FIELDS: z.string().default(PRODUCER_DEFAULTS.redactFields),
  CLIENT_IP_MODE: z.enum(['full', 'truncate', 'hash']).default(PRODUCER_DEFAULTS.clientIpMode),
  CLIENT_IP_HASH_KEY: z.string().min(16).optional(),
});

export type AppConfig = ReturnType<typeof toAppConfig>;

/** Names of every environment variable the service reads. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

function toAppConfig(env: z.infer<typeof EnvSchema>) {
  return {
    http: {
      host: env.HOST,
      apiPort: env.API_PORT,
      workerPort: env.WORKER_PORT,
      trustProxy: env.TRUST_PROXY,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, apiQueryTimeoutMs: env.API_QUERY_TIMEOUT_MS },
    redis: { url: env.REDIS_URL },
    queue: {
      prefix: env.QUEUE_PREFIX,
      jobAttempts: env.JOB_ATTEMPTS,
      jobBackoffMs: env.JOB_BACKOFF_MS,
      keepCompleted: env.JOB_KEEP_COMPLETED,
    },
    ingest: {
      maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
      jobBatchSize: env.INGEST_JOB_BATCH_SIZE,
      enqueueTimeoutMs: env.INGEST_ENQUEUE_TIMEOUT_MS,
      retryAfterSeconds: env.INGEST_RETRY_AFTER_SECONDS,
      maxFutureSkewSeconds: env.INGEST_MAX_FUTURE_SKEW_SECONDS,
      maxAgeDays: env.INGEST_MAX_AGE_DAYS,
      maxRecordsPerRequest: env.INGEST_MAX_RECORDS_PER_REQUEST,
    },
    worker: {
      concurrency: env.WORKER_CONCURRENCY,
      writesInFlight: env.WORKER_WRITES_IN_FLIGHT,
      maxWriteRecords: env.WORKER_MAX_WRITE_RECORDS,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
    },
    partitions: { aheadDays: env.PARTITIONS_AHEAD_DAYS, retentionDays: env.RETENTION_DAYS },
    auth: {
      bootstrapAdminKey: env.BOOTSTRAP_ADMIN_KEY,
      healthRequiresKey: env.HEALTH_REQUIRE_KEY,
      metricsRequiresKey: env.METRICS_REQUIRE_KEY,
      publicPaths: csv(env.AUTH_PUBLIC_PATHS),
      cacheSeconds: env.AUTH_CACHE_SECONDS,
      unknownKeyCacheSeconds: env.AUTH_UNKNOWN_KEY_CACHE_SECONDS,
      maxFailuresPerMinute: env.AUTH_MAX_FAILURES_PER_MINUTE,
    },
    rateLimit: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      ingestPerWindow: env.RATE_LIMIT_INGEST_PER_WINDOW,
      queryPerWindow: env.RATE_LIMIT_QUERY_PER_WINDOW,
    },
    backpressure: { maxBacklog: env.INGEST_MAX_BACKLOG, maxRedisMemoryBytes: env.INGEST_MAX_REDIS_MEMORY_BYTES },
    redaction: {
      fields: csv(env.REDACT_FIELDS),
      clientIpMode: env.CLIENT_IP_MODE,
      clientIpHashKey: env.CLIENT_IP_HASH_KEY,
    },
    rollups: { retentionDays: env.ROLLUP_RETENTION_DAYS },
    search: { errorRatesMaxPoints: env.ERROR_RATES_MAX_POINTS },
    metrics: {
      maxRoutes: env.METRICS_MAX_ROUTES,
      maxApiKeys: env.METRICS_MAX_API_KEYS,
      maxErrorCodes: env.METRICS_MAX_ERROR_CODES,
      maxSeries: env.METRICS_MAX_SERIES,
      labelRerankSeconds: env.METRICS_LABEL_RERANK_SECONDS,
      renderCacheMs: env.METRICS_RENDER_CACHE_MS,
    },
  } as const;
}

function csv(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function isAddressOrSubnet(item: string): boolean {
  const [address = '', bits, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once, naming every bad variable at the same time. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.refine((env) => env.CLIENT_IP_MODE !== 'hash' || env.CLIENT_IP_HASH_KEY !== undefined, {
    path: ['CLIENT_IP_HASH_KEY'],
    message: 'is required when CLIENT_IP_MODE=hash',
  })
    .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
      path: ['HTTP_HEADERS_TIMEOUT_MS'],
      message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (Node refuses it)',
    })
    .safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return toAppConfig(parsed.data);
}
