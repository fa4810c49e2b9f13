import { z } from 'zod';
import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';
import { isRedisUrl, queueKeyPrefix } from './redis-url.js';

/**
 * The service's Redis: where it is (one server, or a cluster: redis-url.ts), the namespace of every
 * key the service writes there (the queue's and the window counters'; a hash tag on a cluster), and
 * how long a command that is not an enqueue may take before its caller gives up (a request never
 * hangs on a Redis that is away).
 */
export const REDIS_CONFIG = defineConfigSlice({
  key: 'redis',
  variables: {
    REDIS_URL: z.string().refine(isRedisUrl, 'expected redis://host:port, rediss://… or redis+cluster://host:port,host:port,…'),
    // Named for its first user; BullMQ's prefix and the window counters' namespace alike.
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('verilock'),
    // The window counters' budget per command; the default is INGEST_ENQUEUE_TIMEOUT_MS's, which they used to borrow.
    REDIS_COMMAND_TIMEOUT_MS: positiveInt.default(1000),
  },
  build: (env) => ({
    url: env.REDIS_URL,
    keyPrefix: queueKeyPrefix(env.REDIS_URL, env.QUEUE_PREFIX),
    commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
  }),
});
export type RedisConfig = SliceValue<typeof REDIS_CONFIG>;
