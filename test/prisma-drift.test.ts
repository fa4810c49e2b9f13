import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runNode } from './support/child-process.js';

/**
 * prisma/schema.prisma is the schema's source of truth: the database the migrations build must be
 * exactly what it describes. scripts/schema-drift.mjs asks Prisma's own schema engine (WASM) to diff
 * the live database against the schema; these tests run it on the migrated test database, and show
 * it really reports drift in either direction.
 */
const DRIFT = 'scripts/schema-drift.mjs';
const SCHEMA = readFileSync('prisma/schema.prisma', 'utf8');

describe('prisma/schema.prisma vs the migrated database (Prisma schema engine diff)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prisma-drift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the drift check against `schema` (the real one unless given). */
  async function drift(schema?: string) {
    if (schema === undefined) return runNode(DRIFT, [], {});
    const file = path.join(dir, 'schema.prisma');
    writeFileSync(file, schema);
    return runNode(DRIFT, [file], {});
  }

  it('finds no difference: every table, column, default, key and index of the migrations is in schema.prisma', async () => {
    const result = await drift();
    expect(result).toMatchObject({ code: 0, stdout: 'No difference detected.\n' });
  }, 60_000);

  it('reports a schema that lost a column and renamed an index', async () => {
    const altered = SCHEMA.replace(/^\s*ingestKeyId\s+String\?.*$/m, '').replace(
      'map: "request_logs_route_sent_at_idx"',
      'map: "request_logs_route_idx"',
    );
    expect(altered).not.toBe(SCHEMA);
    const result = await drift(altered);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Removed column `ingest_key_id`');
    expect(result.stdout).toContain('Renamed index `request_logs_route_sent_at_idx` to `request_logs_route_idx`');
  }, 60_000);

  it('reports a database that gained an index schema.prisma does not declare', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('CREATE INDEX "dead_letter_records_drift_probe_idx" ON "dead_letter_records" ("reason")');
      const result = await drift();
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/Changed the `dead_letter_records` table\n\s+\[-\] Removed index on columns \(reason\)/);
    } finally {
      await client.query('DROP INDEX IF EXISTS "dead_letter_records_drift_probe_idx"');
      await client.end();
    }
  }, 60_000);
});
