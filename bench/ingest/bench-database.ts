import { execFileSync } from 'node:child_process';
import pg from 'pg';

/** The tables the pipeline writes: the rows, and the rollups derived from them in the same transaction. */
const WRITTEN_TABLES = ['request_logs', 'request_rollups_minute', 'request_route_rollups_minute', 'request_status_rollups_minute'];

/**
 * A separate database on the same Postgres cluster, migrated like the real one, so the benchmark
 * never touches (or counts) the data of the service or of the tests.
 */
export class BenchDatabase {
  readonly url: string;
  readonly pool: pg.Pool;

  private constructor(
    private readonly adminUrl: string,
    readonly name: string,
  ) {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    this.url = url.toString();
    this.pool = new pg.Pool({ connectionString: this.url, max: 2 });
  }

  static async create(serviceUrl: string, name = 'verilock_bench'): Promise<BenchDatabase> {
    const admin = new pg.Client({ connectionString: serviceUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const db = new BenchDatabase(serviceUrl, name);
    execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' });
    await db.pool.query(
      "SELECT ensure_request_logs_partition(d::date) FROM generate_series(current_date - 1, current_date + 1, interval '1 day') AS d",
    );
    return db;
  }

  /** Every phase starts from empty tables: rows and the rollups derived from them. */
  async truncate(): Promise<void> {
    await this.pool.query(`TRUNCATE ${WRITTEN_TABLES.join(', ')}`);
    for (const table of WRITTEN_TABLES) await this.pool.query(`VACUUM ANALYZE ${table}`);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM request_logs');
    return Number(rows[0].n);
  }

  /**
   * Rows stored so far, read from the minute × status rollup, which the worker writes in the same
   * transaction as the rows: a few rows to sum, where count(*) would scan every row stored, taking
   * Postgres CPU from the pipeline being measured.
   */
  async countFromRollup(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT coalesce(sum(count), 0) AS n FROM request_status_rollups_minute');
    return Number(rows[0].n);
  }

  /** Polls until `expected` rows are stored; checks them with a real count, returns when the last one landed (ms since epoch). */
  async waitForRows(expected: number, timeoutMs = 600_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await this.countFromRollup();
      if (n >= expected) {
        const stored = await this.count();
        if (stored !== expected) throw new Error(`the rollup counts ${n} rows, request_logs holds ${stored}, ${expected} were sent`);
        const { rows } = await this.pool.query<{ last: Date }>('SELECT max(stored_at) AS last FROM request_logs');
        return rows[0].last.getTime();
      }
      if (Date.now() > deadline) throw new Error(`only ${n} of ${expected} rows stored after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Percentiles (ms) of `expression` over all stored rows, e.g. `stored_at - received_at`. */
  async lagPercentiles(expression: string): Promise<Record<'p50' | 'p95' | 'p99' | 'max', number>> {
    const { rows } = await this.pool.query(
      `SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS p, max(ms) AS max
       FROM (SELECT extract(epoch FROM (${expression})) * 1000 AS ms FROM request_logs) AS lag`,
    );
    const [p50, p95, p99] = (rows[0].p as number[]).map((x) => Math.round(x));
    return { p50: p50, p95: p95, p99: p99, max: Math.round(rows[0].max) };
  }

  async drop(): Promise<void> {
    await this.pool.end();
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await admin.end();
  }
}
