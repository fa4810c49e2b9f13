// Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) over the
// @prisma/adapter-pg driver adapter: the same Rust code as the native `prisma migrate` binary, which
// cannot be downloaded here. Used by scripts/migrate.mjs (migrate deploy) and scripts/schema-drift.mjs
// (migrate diff). Plain JS so both run with `node` on a fresh clone, before any build.

import fs from 'node:fs/promises';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export class UsageError extends Error {}

export const DEBUG = Boolean(process.env.MIGRATE_WASM_DEBUG);

/** The engine's class, instantiated as @prisma/internals' wasmSchemaEngineLoader does. */
async function loadSchemaEngine() {
  // The engine reports a Rust panic's message through this global before it aborts.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (message) => console.error('[schema-engine panic]', message) };
  const bgUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const runtime = await import(bgUrl);
  const bytes = await fs.readFile(new URL('./schema_engine_bg.wasm', bgUrl));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': runtime });
  runtime.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return { SchemaEngine: runtime.SchemaEngine, version: runtime.version() };
}

/** Postgres's one-byte "char" type (pg_catalog's relkind, contype...). */
const PG_CHAR_OID = 18;

/**
 * The driver adapter, with three deliberate deviations from a plain `new PrismaPg(url)` (adapter-pg
 * 7.10 still needs all three; re-check them when upgrading):
 *  * a pool of exactly ONE connection: the engine takes `pg_advisory_lock(72707369)` and then runs
 *    the bookkeeping + migration SQL; with a normal pool those land on different sessions;
 *  * executeScript() sends the whole migration.sql in one simple-protocol query (as the native
 *    engine does): adapter-pg splits scripts on every ';', which breaks `$$` function bodies and
 *    string literals containing ';'. One simple query = one implicit transaction in Postgres, so a
 *    failing migration leaves no partial DDL behind (unless the file itself has BEGIN/COMMIT);
 *  * queryRaw() reports "char" columns as Character: adapter-pg refuses the type, and the engine's
 *    describer (diff, introspect) reads pg_catalog's "char" columns.
 */
function adapterFactoryOn(pool, schema) {
  const inner = new PrismaPg(pool, schema ? { schema } : undefined);
  const factory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      adapter.executeScript = async (script) => {
        try {
          await pool.query(script);
        } catch (err) {
          adapter.onError(err); // converts to DriverAdapterError (throws)
        }
      };
      const queryRaw = adapter.queryRaw;
      adapter.queryRaw = async (query) => {
        let charColumns = [];
        // The adapter's own queryRaw, on a view whose performIO shows "char" columns as text.
        const view = Object.create(adapter, {
          performIO: {
            value: async (io) => {
              const result = await adapter.performIO(io);
              charColumns = result.fields.map((field) => field.dataTypeID === PG_CHAR_OID);
              result.fields = result.fields.map((field) =>
                field.dataTypeID === PG_CHAR_OID ? { ...field, dataTypeID: pg.types.builtins.TEXT } : field,
              );
              return result;
            },
          },
        });
        const result = await queryRaw.call(view, query);
        charColumns.forEach((isChar, i) => isChar && (result.columnTypes[i] = ColumnTypeEnum.Character));
        return result;
      };
      return adapter;
    },
    async connectToShadowDb() {
      throw new Error('A shadow database is not supported (and not needed for migrate deploy or diff).');
    },
  };
  return bindMigrationAwareSqlAdapterFactory(factory);
}

/** A pool of one connection to DATABASE_URL, Prisma's `?schema=` translated to search_path. */
export function onePool(databaseUrl) {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new UsageError('DATABASE_URL is not a valid URL');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
    throw new UsageError(`DATABASE_URL must be a postgres:// or postgresql:// URL (got ${url.protocol})`);
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: Number(process.env.MIGRATE_WASM_CONNECT_TIMEOUT_MS ?? 15000),
    ...(schema ? { options: `-c search_path="${schema.replaceAll('"', '""')}"` } : {}),
  });
  pool.on('error', (err) => DEBUG && console.error('[schema-engine] idle client error:', err.message));
  return { pool, schema };
}

/** The engine on `pool`; `log` receives its JSON log lines. Free it with engine.free(). */
export async function openSchemaEngine(pool, schema, log) {
  const { SchemaEngine, version } = await loadSchemaEngine();
  const engine = await SchemaEngine.new({ datamodels: undefined }, log, adapterFactoryOn(pool, schema));
  return { engine, version };
}

/** The engine's error as one line (its Rust span trace only when debugging). */
export function formatError(err) {
  if (err instanceof UsageError) return err.message;
  const code = err?.code ?? err?.error_code;
  const msg = String(err?.message ?? err).replace(/\n\s+0: [\s\S]*$/, DEBUG ? '$&' : '');
  return code ? `${code}: ${msg}` : msg;
}

/** Tables the engine leaves alone (prisma.config.ts > tables.external): none. */
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Frees the engine (if opened) and closes its pool, whatever happened before. */
export async function closeSchemaEngine(engine, pool) {
  try {
    engine?.free();
  } catch {}
  await pool.end().catch(() => {});
}

/**
 * Runs a command's `main` and exits with the code it returns (0 by default), or 1 printing its error.
 * The exit is explicit: the wasm engine leaves un-cleared setTimeout()s (e.g. its 10 s advisory-lock
 * timeout) that would otherwise keep the process alive for ~10 s.
 */
export function runAndExit(tag, main) {
  main().then(
    (code) => process.exit(code ?? 0),
    (err) => {
      console.error(`[${tag}] ERROR: ${formatError(err)}`);
      process.exit(1);
    },
  );
}
