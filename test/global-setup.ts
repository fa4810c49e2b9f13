import { execFileSync } from 'node:child_process';

/** Integration tests run against a migrated database: apply the migrations once (idempotent). */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    throw new Error('DATABASE_URL and REDIS_URL must be set: run the tests with `npm test`, which starts Postgres and Redis.');
  }
  execFileSync('node', ['scripts/migrate.mjs'], { stdio: 'inherit' });
}
