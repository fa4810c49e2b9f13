import { z } from 'zod';
import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

/**
 * The service's Redis: where it is, the namespace of every key the service writes there (the queue's
 * and the window counters'), and how long a command that is not an enqueue may take before its caller
 * gives up (a request never hangs on a Redis that is away).
 */
export const REDIS_CONFIG = defineConfigSlice({
  key: 'redis',
  variables: {
    REDIS_URL: z.string().url(),
    // Named for its first user; BullMQ's prefix and the window counters' namespace alike.
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('verilock'),
    // The window counters' budget per command; the default is INGEST_ENQUEUE_TIMEOUT_MS's, which they used to borrow.
    REDIS_COMMAND_TIMEOUT_MS: positiveInt.default(1000),
  },
  build: (env) => ({ url: env.REDIS_URL, keyPrefix: env.QUEUE_PREFIX, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS }),
});
export type RedisConfig = SliceValue<typeof REDIS_CONFIG>;
