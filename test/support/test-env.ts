import { randomUUID } from 'node:crypto';
import { type AppConfig, loadConfig } from '#libs/config';

/**
 * Configuration for one test file: the Postgres and Redis that `npm test` started (or that
 * DATABASE_URL / REDIS_URL name), with a queue prefix of its own so test files never share jobs.
 */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    JOB_BACKOFF_MS: '100',
    PARTITIONS_AHEAD_DAYS: '1',
    ...env,
  });
}
