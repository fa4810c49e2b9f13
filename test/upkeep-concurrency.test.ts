import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { RequestLogPartitions, RollupRetention } from '#libs/store';
import { createWorkerApp } from '../apps/worker/src/create-worker-app.js';
import { pollUntil } from './support/poll.js';
import { testConfig } from './support/test-env.js';

const DAY_MS = 86_400_000;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
const partitionName = (d: string) => `request_logs_${d.replaceAll('-', '')}`;

/**
 * Every worker runs the upkeep (partitions ahead, partition retention, rollup retention) at start and
 * hourly, so with several workers it runs concurrently. On a database of its own (so "fresh" and
 * "old" are this suite's alone): three workers started at once, then the upkeep invoked from all three
 * together, each on its own Postgres connections. Partition creation and dropping are serialised by
 * an advisory lock (each runs, the later ones find nothing to do); the rollup purge runs once per round
 * cluster-wide (pg_try_advisory_xact_lock: the others skip).
 */
describe('upkeep run by several workers at once: no error, no duplicate partition, nothing deleted twice', () => {
  const database = `verilock_upkeep_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  let db: pg.Pool;
  let workers: NestFastifyApplication[] = [];

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: url.href }, stdio: 'ignore' });
    db = new pg.Pool({ connectionString: url.href, max: 2 });
    const config = testConfig({ DATABASE_URL: url.href, RETENTION_DAYS: '7', ROLLUP_RETENTION_DAYS: '14', PARTITIONS_AHEAD_DAYS: '3' });
    // Started at once: each bootstrap creates yesterday … 3 days ahead and runs both retentions.
    workers = await Promise.all(
      [1, 2, 3].map(async () => {
        const app = await createWorkerApp(config, ['error', 'fatal']);
        await app.init();
        return app;
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await db?.end();
    // Closed pools' sessions end a moment later; FORCE would kill one still closing (an error in a pool).
    const sessions = async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [database])).rowCount;
    await pollUntil(sessions, (n) => n === 0, 10_000, 'no session on the database').catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  async function partitions(): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'request_logs'::regclass ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  }

  /** `cells` minutes of each rollup table (the four), `ageDays` old; returns the rows planted. */
  async function plantRollups(ageDays: number, cells: number, route: string): Promise<number> {
    const start = Math.floor((Date.now() - ageDays * DAY_MS) / 60_000) * 60_000;
    const buckets = Array.from({ length: cells }, (_, i) => new Date(start - i * 60_000));
    await db.query(
      `INSERT INTO request_rollups_minute (bucket, status, method, route, error_code, api_key_id, count, duration_ms_sum, duration_ms_max)
       SELECT b, 200, 'GET', $2, NULL, NULL, 1, 1, 1 FROM unnest($1::timestamptz[]) b`,
      [buckets, route],
    );
    await db.query(
      `INSERT INTO request_route_rollups_minute (bucket, status, method, route, error_code, count, duration_ms_sum, duration_ms_max)
       SELECT b, 200, 'GET', $2, NULL, 1, 1, 1 FROM unnest($1::timestamptz[]) b`,
      [buckets, route],
    );
    await db.query(
      `INSERT INTO request_status_rollups_minute (bucket, status, count, duration_ms_sum, duration_ms_max)
       SELECT b, 200, 1, 1, 1 FROM unnest($1::timestamptz[]) b`,
      [buckets],
    );
    await db.query(
      `INSERT INTO request_totals_minute (bucket, count, status_4xx, status_5xx, statuses, counts, by_status)
       SELECT b, 1, 0, 0, '{200}', '{1}', '{"200":1}' FROM unnest($1::timestamptz[]) b`,
      [buckets],
    );
    return 4 * cells;
  }

  async function rollupRows(route: string): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM request_rollups_minute WHERE route = $1)
            + (SELECT count(*) FROM request_route_rollups_minute WHERE route = $1) AS n`,
      [route],
    );
    return Number(rows[0].n);
  }

  it('three workers started at once on a fresh database create each partition once, without error', async () => {
    const expected = Array.from({ length: 5 }, (_, i) => partitionName(day(i - 1)));
    expect(await partitions()).toEqual(expected);
    // And again, all three at once, after start: nothing new, nothing failing.
    const created = await Promise.all(workers.map((w) => w.get(RequestLogPartitions).ensureAhead(new Date(Date.now() - DAY_MS), 5)));
    expect(created).toEqual([0, 0, 0]);
    expect(await partitions()).toEqual(expected);
  });

  it('creates and drops partitions concurrently: each day created once, each expired one dropped once', async () => {
    const before = await partitions();
    // Days 12 … 5 ago: created by all three at once (each day by exactly one of them).
    const created = await Promise.all(workers.map((w) => w.get(RequestLogPartitions).ensureAhead(new Date(Date.now() - 12 * DAY_MS), 8)));
    expect(created.reduce((a, b) => a + b, 0)).toBe(8);
    await db.query(
      `INSERT INTO request_logs (request_id, sent_at, method, path, route, status, duration_ms, received_at)
       SELECT 'req_upkeep_' || d, now() - d * interval '1 day', 'GET', '/x', '/x', 200, 1, now() FROM generate_series(5, 12) d`,
    );
    // RETENTION_DAYS=7: the days wholly before 7 days ago go (12 … 8 ago); three rounds from all three workers.
    const cutoff = day(-7);
    const rounds = await Promise.all([1, 2, 3].flatMap(() => workers.map((w) => w.get(RequestLogPartitions).dropBefore(cutoff))));
    const dropped = rounds.flat().sort();
    expect(dropped).toEqual([12, 11, 10, 9, 8].map((d) => partitionName(day(-d))));
    expect(await partitions()).toEqual([...[7, 6, 5].map((d) => partitionName(day(-d))), ...before]);
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM request_logs WHERE request_id LIKE 'req_upkeep_%'");
    expect(Number(rows[0].n)).toBe(3);
  });

  it('purges expired rollup minutes once, whichever workers run the purge together', async () => {
    const route = `/upkeep/${randomUUID()}`;
    const planted = await plantRollups(20, 40, route);
    await plantRollups(1, 5, route);
    const deleted = await Promise.all([1, 2, 3].flatMap(() => workers.map((w) => w.get(RollupRetention).run())));
    // Every expired row deleted by exactly one run: a second delete of the same row would not count it,
    // but the sum would still be `planted`; what proves "once" is below: a held lock makes a run skip.
    expect(deleted.reduce((a, b) => a + b, 0)).toBe(planted);
    expect(await rollupRows(route)).toBe(2 * 5);
  });

  it('skips the purge while another worker holds it, and purges when it is released', async () => {
    const route = `/upkeep/${randomUUID()}`;
    const planted = await plantRollups(30, 10, route);
    const other = await db.connect();
    try {
      // The test plays the worker purging right now.
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtext('request_rollups_retention'))`);
      expect(await Promise.all(workers.map((w) => w.get(RollupRetention).run()))).toEqual([0, 0, 0]);
      expect(await rollupRows(route)).toBe(planted / 2);
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    expect(await workers[0].get(RollupRetention).run()).toBe(planted);
    expect(await rollupRows(route)).toBe(0);
  });
});
