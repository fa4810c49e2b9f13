// Storage benchmark, run by hand: `npm run bench:storage` (builds first). Measures what one Verilock
// record costs at rest, for the capacity model (docs/capacity.md):
// - Redis: bytes of memory and of AOF per record while it waits in the queue (api running, worker not);
// - Postgres: bytes per record of request_logs (heap + TOAST + indexes, every daily partition), of each
//   rollup table, and of WAL written, once the built worker has stored them all;
// - rollup rows per minute at 100 / 1,000 / 10,000 requests/s, from the same traffic model grouped the
//   way the worker groups (checked against the real tables for the records ingested).
// Records come from libs/traffic-model (Verilock-shaped: routes, error bodies, 25 keys), POSTed as JSON
// batches of 1000 to the built api on API_PORT, stored by the built worker on WORKER_PORT, in a scratch
// database (verilock_storage) dropped at the end. BENCH_RECORDS (default 100,000), BENCH_RATE (simulated
// requests/s the timestamps are spread at, default 1000).
import { spawn, execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { TrafficGenerator } from '../dist/libs/traffic-model/src/index.js';
import { waitForHealth } from './wait-for-health.mjs';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const BATCH = 1000;
const DB = 'verilock_storage';
const API_PORT = Number(process.env.API_PORT ?? 3146);
const WORKER_PORT = Number(process.env.WORKER_PORT ?? 3147);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (npm run bench:storage sets them)');
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${DB}` }).toString();
const API_KEY = `vlk_bench_${Date.now()}_storage_key`;
const PREFIX = `storage${Date.now()}`;
const perRecord = (bytes, n = RECORDS) => (bytes / n).toFixed(0).padStart(6);
const log = (...args) => console.log(`[storage ${new Date().toISOString().slice(11, 19)}]`, ...args);

function start(name, port, env) {
  return spawn('node', [`dist/apps/${name}/src/main.js`], {
    // NODE_OPTIONS as the Docker image and `npm run up` start the services.
    env: { NODE_OPTIONS: '--max-semi-space-size=64', ...process.env, ...env, DATABASE_URL: dbUrl, QUEUE_PREFIX: PREFIX, HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const redisBytes = async (redis) => {
  const info = await redis.info();
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { memory: field('used_memory'), aof: field('aof_current_size') };
};
const walBytes = async (db) => Number((await db.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS b")).rows[0].b);

/** The rollup rows `records` make: the worker's grouping (minute, then each table's dimensions). */
function rollupRows(records) {
  const keys = [new Set(), new Set(), new Set()];
  for (const r of records) {
    const minute = r.timestamp.slice(0, 16);
    keys[0].add(`${minute}|${r.status}|${r.method}|${r.route}|${r.error ?? ''}|${r.apiKeyId ?? ''}`);
    keys[1].add(`${minute}|${r.status}|${r.method}|${r.route}|${r.error ?? ''}`);
    keys[2].add(`${minute}|${r.status}`);
  }
  return keys.map((k) => k.size);
}

async function main() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: dbUrl }, stdio: 'ignore' });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await db.query(
    "SELECT ensure_request_logs_partition(d::date) FROM generate_series(current_date - 1, current_date + 1, interval '1 day') d",
  );
  const redis = new Redis(process.env.REDIS_URL);
  const services = [];
  try {
    // The records: spread at RATE over the span ending a minute ago (inside INGEST_MAX_AGE_DAYS).
    const spanMs = (RECORDS / RATE) * 1000;
    const records = new TrafficGenerator({ seed: 17 }).batch(RECORDS, new Date(Date.now() - 60_000 - spanMs), spanMs);
    const bodies = [];
    for (let i = 0; i < RECORDS; i += BATCH) bodies.push(JSON.stringify(records.slice(i, i + BATCH)));
    const jsonBytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0);

    // 1. Queued: the api alone, so every accepted record waits in Redis.
    const api = start('api', API_PORT, { API_PORT: String(API_PORT), BOOTSTRAP_ADMIN_KEY: API_KEY, INGEST_MAX_BACKLOG: '1000000' });
    services.push(api);
    await waitForHealth(API_PORT, { path: '/health/ready', timeoutMs: 60_000 });
    const redisBefore = await redisBytes(redis);
    const walBefore = await walBytes(db);
    for (const body of bodies) {
      const res = await fetch(`http://127.0.0.1:${API_PORT}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body,
      });
      if (res.status !== 202) throw new Error(`POST /v1/logs answered ${res.status}: ${await res.text()}`);
    }
    const redisQueued = await redisBytes(redis);
    log(`${RECORDS.toLocaleString('en')} records accepted (${perRecord(jsonBytes).trim()} B of JSON each), waiting in Redis`);

    // 2. Stored: the worker drains the queue; the clock is the rollup's sum reaching RECORDS.
    const worker = start('worker', WORKER_PORT, { WORKER_PORT: String(WORKER_PORT) });
    services.push(worker);
    for (let stored = 0; stored < RECORDS; await sleep(500)) {
      stored = Number((await db.query('SELECT coalesce(sum(count), 0) AS n FROM request_status_rollups_minute')).rows[0].n);
      if (worker.exitCode !== null) throw new Error('the worker exited');
    }
    const rows = Number((await db.query('SELECT count(*) AS n FROM request_logs')).rows[0].n);
    if (rows !== RECORDS) throw new Error(`${rows} rows stored for ${RECORDS} records`);
    await sleep(2000); // the last jobs' completion reaches Redis
    const redisDrained = await redisBytes(redis);
    const walAfter = await walBytes(db);
    await db.query('CHECKPOINT');

    const sizes = (
      await db.query(`
      WITH parts AS (SELECT inhrelid AS rel FROM pg_inherits WHERE inhparent = 'request_logs'::regclass)
      SELECT 'request_logs (every partition)' AS relation,
             sum(pg_relation_size(rel) + coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0))::bigint AS heap,
             sum(pg_indexes_size(rel))::bigint AS indexes, NULL::bigint AS row_count
      FROM parts JOIN pg_class c ON c.oid = parts.rel
      UNION ALL
      SELECT t, pg_table_size(t::regclass), pg_indexes_size(t::regclass), NULL
      FROM unnest(ARRAY['request_rollups_minute', 'request_route_rollups_minute', 'request_status_rollups_minute']) AS t`)
    ).rows;
    for (const [i, table] of ['request_rollups_minute', 'request_route_rollups_minute', 'request_status_rollups_minute'].entries())
      sizes[i + 1].row_count = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const expected = rollupRows(records);
    sizes.slice(1).forEach((s, i) => {
      if (s.row_count !== expected[i]) throw new Error(`${s.relation}: ${s.row_count} rows, the model's grouping gives ${expected[i]}`);
    });

    console.log(`\n${RECORDS.toLocaleString('en')} records at ${RATE} requests/s (${(spanMs / 60_000).toFixed(1)} simulated minutes)`);
    console.log(
      `Redis while queued: ${perRecord(redisQueued.memory - redisBefore.memory)} B memory, ` +
        `${perRecord(redisQueued.aof - redisBefore.aof)} B AOF per record;`,
    );
    console.log(`       after draining: ${perRecord(redisDrained.memory - redisBefore.memory)} B memory per record left`);
    console.log(`Postgres WAL written while storing: ${perRecord(walAfter - walBefore)} B per record`);
    console.log('relation                           heap+TOAST B/rec  indexes B/rec   rows   B per rollup row');
    for (const s of sizes) {
      const perRow = s.row_count ? ((Number(s.heap) + Number(s.indexes)) / s.row_count).toFixed(0) : '';
      console.log(
        `${s.relation.padEnd(34)} ${perRecord(Number(s.heap))}         ${perRecord(Number(s.indexes))}   ` +
          `${String(s.row_count ?? RECORDS).padStart(7)}   ${perRow}`,
      );
    }
    const total = sizes.reduce((sum, s) => sum + Number(s.heap) + Number(s.indexes), 0);
    console.log(
      `total on disk: ${perRecord(total).trim()} B per record (rows ${perRecord(Number(sizes[0].heap) + Number(sizes[0].indexes)).trim()})`,
    );

    console.log('\nrollup rows per minute the traffic model makes (minute x status x method x route x code [x key]):');
    console.log('requests/s   all dimensions   without key   status only');
    for (const rate of [100, 1000, 10_000]) {
      const minutes = rate >= 10_000 ? 1 : 3;
      const sample = new TrafficGenerator({ seed: 17 }).batch(rate * 60 * minutes, new Date(Date.UTC(2026, 0, 1)), minutes * 60_000);
      const perMinute = rollupRows(sample).map((n) => (n / minutes).toFixed(0).padStart(12));
      console.log(`${String(rate).padStart(10)}   ${perMinute.join('   ')}`);
    }
  } finally {
    for (const child of services) await stop(child);
    const keys = await redis.keys(`${PREFIX}:*`); // this run's queue only (its prefix is unique)
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.end();
  }
}

await main();
