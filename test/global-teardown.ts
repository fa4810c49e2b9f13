import { Redis } from 'ioredis';

/** Prefixes the tests give their queues (and rate-limit keys): unique per run, never the service's own. */
const TEST_PREFIXES = ['test-*', 'fault-kill-*', 'failed-*'];

/**
 * Removes what the tests left in Redis. `npm test` reuses the developer's local Redis (AOF on), so
 * without this every run would leave its queues, completed jobs included, behind for good.
 */
export default async function globalTeardown(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  try {
    for (const prefix of TEST_PREFIXES) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
