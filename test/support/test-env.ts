import { randomUUID } from 'node:crypto';
import { type ComposedConfig, loadConfig } from '#libs/config';
import { API_CONFIG_SLICES } from '../../apps/api/src/api.config.js';
import { WORKER_CONFIG_SLICES } from '../../apps/worker/src/worker.config.js';
import { TEST_API_KEY } from './http.js';

/** Every config slice of the service: tests run the api and the worker in one process. */
export const ALL_CONFIG_SLICES = [...API_CONFIG_SLICES, ...WORKER_CONFIG_SLICES] as const;
export type TestConfig = ComposedConfig<typeof ALL_CONFIG_SLICES>;

/**
 * Configuration for one test file: the Postgres and Redis that `npm test` started (or that
 * DATABASE_URL / REDIS_URL name), with a queue prefix of its own so test files never share jobs.
 * The test key is the bootstrap admin key; rate limits are far above anything a suite sends (the
 * rate-limit tests lower them), and retention keeps a century so no suite prunes another's rows.
 * /metrics is rendered afresh for every scrape (no METRICS_RENDER_CACHE_MS), so a test reads what it just did.
 */
export function testConfig(env: Record<string, string> = {}): TestConfig {
  return loadConfig(ALL_CONFIG_SLICES, { ...process.env, ...testEnv(), ...env });
}

/** The variables behind testConfig, for a test that spawns the built api or worker as processes. */
export function testEnv(): Record<string, string> {
  return {
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    JOB_BACKOFF_MS: '100',
    PARTITIONS_AHEAD_DAYS: '1',
    BOOTSTRAP_ADMIN_KEY: TEST_API_KEY,
    RATE_LIMIT_INGEST_PER_WINDOW: '1000000',
    RATE_LIMIT_QUERY_PER_WINDOW: '1000000',
    AUTH_MAX_FAILURES_PER_MINUTE: '1000000',
    RETENTION_DAYS: '36500',
    METRICS_RENDER_CACHE_MS: '0',
  };
}
