import { z } from 'zod';
import { bool, csv, defineConfigSlice, nonNegativeInt, positiveInt, type SliceValue } from '#libs/config';

export const AUTH_CONFIG = defineConfigSlice({
  key: 'auth',
  variables: {
    BOOTSTRAP_ADMIN_KEY: z.string().min(16).optional(),
    HEALTH_REQUIRE_KEY: bool.default(false),
    METRICS_REQUIRE_KEY: bool.default(false),
    AUTH_PUBLIC_PATHS: z.string().default('/docs,/support'),
    AUTH_CACHE_SECONDS: nonNegativeInt.default(30),
    // Unknown or revoked key digests remembered per process, so a repeated wrong key costs no query.
    AUTH_UNKNOWN_KEY_CACHE_SECONDS: nonNegativeInt.max(3600).default(5),
    AUTH_MAX_FAILURES_PER_MINUTE: positiveInt.default(30),
    // Retry-After of the 503 answered while keys cannot be verified; the default is INGEST_RETRY_AFTER_SECONDS's, which it used to borrow.
    AUTH_RETRY_AFTER_SECONDS: positiveInt.default(5),
  },
  build: (env) => ({
    bootstrapAdminKey: env.BOOTSTRAP_ADMIN_KEY,
    healthRequiresKey: env.HEALTH_REQUIRE_KEY,
    metricsRequiresKey: env.METRICS_REQUIRE_KEY,
    publicPaths: csv(env.AUTH_PUBLIC_PATHS),
    cacheSeconds: env.AUTH_CACHE_SECONDS,
    unknownKeyCacheSeconds: env.AUTH_UNKNOWN_KEY_CACHE_SECONDS,
    maxFailuresPerMinute: env.AUTH_MAX_FAILURES_PER_MINUTE,
    retryAfterSeconds: env.AUTH_RETRY_AFTER_SECONDS,
  }),
});
export type AuthConfig = SliceValue<typeof AUTH_CONFIG>;
