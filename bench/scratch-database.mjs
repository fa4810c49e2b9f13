// A scratch database beside DATABASE_URL's, migrated like the real one, for a bench script to fill and
// then drop, so a benchmark never touches (or counts) the data of the service or of the tests.
import { execFileSync } from 'node:child_process';
import pg from 'pg';

export async function createScratchDatabase(name) {
  const admin = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: url.toString() }, stdio: 'ignore' });
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
