import { z } from 'zod';
import { defineConfigSlice, type SliceValue } from '#libs/config';

/**
 * The /metrics machinery's knob: how long a rendered /metrics is reused
 * (the request metrics' bounds are REQUEST_METRICS_CONFIG, libs/log-writer).
 */
export const METRICS_CONFIG = defineConfigSlice({
  key: 'metrics',
  variables: {
    METRICS_RENDER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  },
  build: (env) => ({
    renderCacheMs: env.METRICS_RENDER_CACHE_MS,
  }),
});
export type MetricsConfig = SliceValue<typeof METRICS_CONFIG>;
