#!/usr/bin/env node
// scripts/migrate.mjs — `prisma migrate deploy` for PostgreSQL without the native schema-engine binary.
//
// Runs Prisma's own schema engine compiled to WebAssembly over @prisma/adapter-pg (see
// scripts/schema-engine.mjs). The engine's own applyMigrations command does the `_prisma_migrations`
// bookkeeping (same Rust code as the native engine), so the result is what `prisma migrate deploy`
// would produce.
//
// Usage:  DATABASE_URL=postgresql://user:pw@host:5432/db[?schema=name] node scripts/migrate.mjs [migrationsDir]
//           = prisma migrate deploy
//         ... node scripts/migrate.mjs [migrationsDir] --rolled-back <migration_name>
//           = prisma migrate resolve --rolled-back <migration_name>
//         ... node scripts/migrate.mjs [migrationsDir] --applied <migration_name>
//           = prisma migrate resolve --applied <migration_name>
//         migrationsDir defaults to $PRISMA_MIGRATIONS_DIR or ./prisma/migrations
//         MIGRATE_WASM_DEBUG=1 prints the engine's full log.
// Exit:   0 = success (including "nothing to apply"), 1 = any failure.

import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEBUG, NO_FILTERS, UsageError, closeSchemaEngine, onePool, runAndExit, openSchemaEngine } from './schema-engine.mjs';

const log = (...a) => console.log('[migrate-wasm]', ...a);

// ---- 1. Read the migrations directory exactly like @prisma/migrate's listMigrations() --------
async function listMigrations(baseDir) {
  const stat = await fs.stat(baseDir).catch(() => null);
  if (!stat?.isDirectory()) throw new UsageError(`Migrations directory not found: ${baseDir}`);
  const lockfile = {
    path: 'migration_lock.toml',
    content: await fs.readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null),
  };
  const entries = await fs.readdir(baseDir, { withFileTypes: true });
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await fs.readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok', value }),
      (err) => ({ tag: 'error', value: err.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile, migrationDirectories, shadowDbInitScript: '' };
}

async function createDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  url.searchParams.delete('schema');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 15000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${dbName.replaceAll('"', '""')}"`);
    log(`PostgreSQL database "${dbName}" created.`);
  } catch (err) {
    throw new UsageError(`Database "${dbName}" does not exist and could not be created: ${err.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function engineLogger(line) {
  if (DEBUG) return console.error('[engine]', line);
  try {
    const { level, fields } = JSON.parse(line);
    if (level === 'WARN' || level === 'ERROR') console.error(`[engine ${level}]`, fields?.message ?? line);
    else if (typeof fields?.message === 'string' && fields.message.startsWith('Applying')) log(fields.message);
  } catch {
    /* non-JSON noise */
  }
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new UsageError('DATABASE_URL is not set');
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { 'rolled-back': { type: 'string' }, applied: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
  const { 'rolled-back': rolledBack, applied } = args.values;
  if (rolledBack && applied) throw new UsageError('Use either --rolled-back or --applied, not both');
  if (args.positionals.length > 1) throw new UsageError('Expected at most one positional argument (migrations dir)');
  const migrationsDir = path.resolve(args.positionals[0] ?? process.env.PRISMA_MIGRATIONS_DIR ?? 'prisma/migrations');

  const migrationsList = await listMigrations(migrationsDir);
  // (A provider mismatch in migration_lock.toml is rejected by the engine itself: P3019.)
  for (const m of migrationsList.migrationDirectories) {
    if (m.migrationFile.content.tag === 'error') {
      throw new UsageError(`Cannot read ${m.path}/migration.sql: ${m.migrationFile.content.value}`);
    }
  }
  log(`${migrationsList.migrationDirectories.length} migration(s) found in ${migrationsDir}`);

  const { pool, schema } = onePool(databaseUrl);
  let engine;
  try {
    // Fail fast with a clear message if the DB is unreachable (the engine's error is vaguer).
    // Like `prisma migrate deploy`, create the database if it does not exist yet.
    await pool.query('SELECT 1').catch(async (err) => {
      if (err?.code !== '3D000' || process.env.MIGRATE_WASM_NO_CREATE_DB) {
        throw new UsageError(`Cannot connect to the database: ${err.message}`);
      }
      await createDatabase(databaseUrl);
      await pool.query('SELECT 1').catch((err2) => {
        throw new UsageError(`Cannot connect to the database: ${err2.message}`);
      });
    });
    const opened = await openSchemaEngine(pool, schema, engineLogger);
    engine = opened.engine;
    log(`schema engine wasm ${opened.version}, target schema "${schema ?? 'public'}"`);
    if (rolledBack) {
      await engine.markMigrationRolledBack({ migrationName: rolledBack });
      log(`Migration ${rolledBack} marked as rolled back.`);
      return;
    }
    if (applied) {
      await engine.markMigrationApplied({ migrationName: applied, migrationsList });
      log(`Migration ${applied} marked as applied.`);
      return;
    }
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: NO_FILTERS,
    });
    if (appliedMigrationNames.length === 0) log('No pending migrations to apply.');
    else log(`Applied ${appliedMigrationNames.length} migration(s):\n  ${appliedMigrationNames.join('\n  ')}`);
  } finally {
    await closeSchemaEngine(engine, pool);
  }
}

runAndExit('migrate-wasm', main);
