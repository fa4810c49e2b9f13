#!/usr/bin/env node
// scripts/schema-drift.mjs — does the migrated database match prisma/schema.prisma?
//
// `prisma migrate diff --from-config-datasource --to-schema prisma/schema.prisma --exit-code`, run by
// Prisma's schema engine as WebAssembly (scripts/schema-engine.mjs): the engine describes the live
// database and diffs it against the schema's datamodel, so every table, column type, default, key and
// index counts, as Prisma itself sees them.
//
// Usage:  DATABASE_URL=postgresql://... node scripts/schema-drift.mjs [schemaFile] [--script]
//         schemaFile defaults to prisma/schema.prisma; --script prints the SQL that would bring the
//         database to the schema instead of the summary.
// Exit:   0 = no difference, 2 = the database and the schema differ (printed), 1 = any failure.

import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NO_FILTERS, UsageError, closeSchemaEngine, onePool, runAndExit, openSchemaEngine } from './schema-engine.mjs';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('DATABASE_URL is not set');
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { script: { type: 'boolean', default: false } } });
  const schemaFile = path.resolve(positionals[0] ?? 'prisma/schema.prisma');
  const content = await fs.readFile(schemaFile, 'utf8').catch((err) => {
    throw new UsageError(`Cannot read ${schemaFile}: ${err.message}`);
  });
  const files = [{ path: schemaFile, content }];

  const { pool, schema } = onePool(databaseUrl);
  let engine;
  try {
    await pool.query('SELECT 1').catch((err) => {
      throw new UsageError(`Cannot connect to the database: ${err.message}`);
    });
    // Engine log lines are noise here; failures arrive as rejected promises.
    ({ engine } = await openSchemaEngine(pool, schema, () => {}));
    const { exitCode, stdout } = await engine.diff({
      // The live database, reached through the adapter (the datasource block carries no URL in Prisma 7).
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaFile) },
      to: { tag: 'schemaDatamodel', files },
      script: values.script,
      exitCode: true,
      filters: NO_FILTERS,
    });
    process.stdout.write(stdout ?? '');
    return exitCode;
  } finally {
    await closeSchemaEngine(engine, pool);
  }
}

runAndExit('schema-drift', main);
