import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

export const RATE_LIMIT_CONFIG = defineConfigSlice({
  key: 'rateLimit',
  variables: {
    RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
    RATE_LIMIT_INGEST_PER_WINDOW: positiveInt.default(600),
    RATE_LIMIT_QUERY_PER_WINDOW: positiveInt.default(1200),
  },
  build: (env) => ({
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    ingestPerWindow: env.RATE_LIMIT_INGEST_PER_WINDOW,
    queryPerWindow: env.RATE_LIMIT_QUERY_PER_WINDOW,
  }),
});
export type RateLimitConfig = SliceValue<typeof RATE_LIMIT_CONFIG>;
