import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/** Bounds of the request metrics' labels and series (the worker derives them from stored rows). */
export const REQUEST_METRICS_CONFIG = defineConfigSlice({
  key: 'requestMetrics',
  variables: {
    METRICS_MAX_ROUTES: positiveInt.default(200),
    METRICS_MAX_API_KEYS: positiveInt.default(100),
    METRICS_MAX_ERROR_CODES: positiveInt.default(50),
    // Samples of the request metrics together; at least the ~700 the fully folded series need. A render
    // costs ~4 µs of CPU per sample here (10k: ~40 ms, 21k: ~100 ms; docs/limits/metrics.md).
    METRICS_MAX_SERIES: positiveInt.min(1000).default(10_000),
    METRICS_LABEL_RERANK_SECONDS: positiveInt.default(60),
  },
  build: (env) => ({
    maxRoutes: env.METRICS_MAX_ROUTES,
    maxApiKeys: env.METRICS_MAX_API_KEYS,
    maxErrorCodes: env.METRICS_MAX_ERROR_CODES,
    maxSeries: env.METRICS_MAX_SERIES,
    labelRerankSeconds: env.METRICS_LABEL_RERANK_SECONDS,
  }),
});
export type RequestMetricsConfig = SliceValue<typeof REQUEST_METRICS_CONFIG>;
