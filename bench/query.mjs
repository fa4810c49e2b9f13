// Query benchmark, run by hand: `npm run bench:query` (builds first). Loads 10,000,000 records into a
// separate database (verilock_bench) on the Postgres of DATABASE_URL, starts the built api on it, and
// prints p50/p99 over HTTP of: lookup by request id, search first page, error rates 24 h at 1m,
// spikes 24 h. BENCH_RECORDS changes the size; BENCH_KEEP=1 keeps the database afterwards; BENCH_CASES=regex
// measures only the cases whose label matches (BENCH_CASES=targets: the four with issue 17's p99 targets);
// BENCH_REPEAT=n runs the wrk cases n times in a row and prints each run's p50/p99; BENCH_API_NODE_FLAGS adds
// node flags to the api's (e.g. '--max-semi-space-size=64' to compare young-generation sizes).
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BENCH_DAYS, BUILD_ROLLUPS_SQL, INSERT_DAY_SQL } from './query-data.sql.mjs';
import { cpuSeconds } from './cpu-seconds.mjs';
import { waitForHealth } from './wait-for-health.mjs';
import { parseWrk } from './wrk-output.mjs';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000_000);
const DB = 'verilock_bench';
// API_PORT picks the api's port (one of yours on a shared machine); else a random high one.
const PORT = Number(process.env.API_PORT ?? 3000 + Math.floor(Math.random() * 20000) + 20000);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (npm run bench:query sets them)');
const benchUrl = Object.assign(new URL(adminUrl), { pathname: `/${DB}` }).toString();
// The api it starts makes this key its bootstrap admin key, and its query rate limit out of reach:
// the benchmark measures queries, not the guard's refusals.
const API_KEY = process.env.BENCH_API_KEY ?? `vlk_bench_${randomUUID().replaceAll('-', '')}`;

const log = (...args) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const timed = async (label, fn) => {
  const t = performance.now();
  const result = await fn();
  log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
};

async function load(now) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  execFileSync('node', ['scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: benchUrl }, stdio: 'ignore' });
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  await db.query('SET synchronous_commit = off');
  await db.query("SET work_mem = '256MB'"); // lets the rollup GROUP BY hash in memory instead of spilling
  const start = new Date(now.getTime() - BENCH_DAYS * 86_400_000);
  for (let d = 0; d <= BENCH_DAYS; d++)
    await db.query('SELECT ensure_request_logs_partition($1::date)', [
      new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10),
    ]);
  const perDay = Math.ceil(RECORDS / BENCH_DAYS);
  const burstAt = new Date(now.getTime() - 3 * 3_600_000);
  await timed(`load ${RECORDS.toLocaleString('en')} rows`, async () => {
    for (let d = 0; d < BENCH_DAYS; d++) {
      const first = d * perDay + 1;
      const last = Math.min(RECORDS, (d + 1) * perDay);
      await db.query(INSERT_DAY_SQL, [first, last, new Date(start.getTime() + d * 86_400_000), 86_400, burstAt]);
      log(`  day ${d + 1}/${BENCH_DAYS} loaded`);
    }
  });
  await timed('rollups (one INSERT ... SELECT ... GROUP BY each)', async () => {
    for (const sql of BUILD_ROLLUPS_SQL) await db.query(sql);
  });
  await timed('vacuum analyze', () => db.query('VACUUM ANALYZE'));
  // Flush the load's ~6 GB of dirty pages now: left to the checkpointer, that writing would run during
  // the measurements and put its I/O in their tail.
  await timed('checkpoint', () => db.query('CHECKPOINT'));
  const sizes = await db.query(`SELECT
    (SELECT count(*) FROM request_rollups_minute) AS rollup_rows,
    (SELECT count(*) FROM request_route_rollups_minute) AS route_rollup_rows,
    (SELECT count(*) FROM request_status_rollups_minute) AS status_rollup_rows,
    (SELECT count(*) FROM request_totals_minute) AS totals_rows,
    pg_size_pretty(pg_database_size('${DB}')) AS size`);
  log('database:', sizes.rows[0]);
  await db.end();
}

// Started as production starts it (Dockerfile, docker-compose.yml, npm run up): the worker's young
// generation in NODE_OPTIONS, and the api's own on its command line, which wins (API_NODE_FLAGS in
// libs/local-stack/src/local-stack.ts).
const API_NODE_FLAGS = ['--max-semi-space-size=16'];
function startApi() {
  const api = spawn(
    'node',
    [...API_NODE_FLAGS, ...(process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), 'dist/apps/api/src/main.js'],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: '--max-semi-space-size=64',
        DATABASE_URL: benchUrl,
        API_PORT: String(PORT),
        HOST: '127.0.0.1',
        QUEUE_PREFIX: 'bench',
        BOOTSTRAP_ADMIN_KEY: API_KEY,
        RATE_LIMIT_QUERY_PER_WINDOW: '100000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return api;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(label, runs, pathFor) {
  const times = [];
  for (let i = 0; i < runs + 5; i++) {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}${pathFor(i)}`, { headers: { 'X-API-Key': API_KEY } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${label}: ${res.status}`);
    if (i >= 5) times.push(performance.now() - t); // the first five warm caches and connections
  }
  times.sort((a, b) => a - b);
  const row = { query: label, runs, p50_ms: percentile(times, 50).toFixed(1), p99_ms: percentile(times, 99).toFixed(1) };
  console.log(`${row.query.padEnd(48)} p50 ${row.p50_ms.padStart(7)} ms   p99 ${row.p99_ms.padStart(7)} ms   (${runs} runs)`);
  return row;
}

// The same closed loop (one connection, one request at a time, keep-alive) from wrk, a C client in a
// process of its own: the api's figure without the Node load generator's own event loop and GC in the
// tail (fetch adds ~1 ms p50 and ~2 ms p99 here). Async, so fetch's idle keep-alive socket is not
// left stale while wrk runs.
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
async function measureWrk(label, path, seconds) {
  const cpuBefore = cpuSeconds(api.pid);
  if (!WRK) return console.log(`${label.padEnd(48)} (wrk not installed: apt-get install wrk)`);
  const { stdout: out } = await promisify(execFile)(
    WRK,
    ['-t1', '-c1', `-d${seconds}s`, '--latency', '-s', 'bench/wrk-request.lua', `http://127.0.0.1:${PORT}`],
    {
      env: { ...process.env, BENCH_API_KEY: API_KEY, BENCH_RECORDS: String(RECORDS), BENCH_PATH: path },
    },
  );
  if (/Non-2xx/.test(out)) throw new Error(`${label}: wrk saw non-2xx answers\n${out}`);
  const { p50, p99, requests: runs } = parseWrk(out);
  const cpuMs = ((cpuSeconds(api.pid) - cpuBefore) * 1000) / runs;
  console.log(
    `${label.padEnd(48)} p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms   ` +
      `api CPU ${cpuMs.toFixed(2).padStart(6)} ms/request   (${runs} runs, wrk)`,
  );
  return { label, p50, p99, cpuMs };
}

async function measureSql(label, runs, valuesFor) {
  const { selectByRequestId } = await import('../dist/libs/store/src/reads/request-lookup.repository.js');
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  const times = [];
  for (let i = 0; i < runs + 5; i++) {
    const t = performance.now();
    await db.query(selectByRequestId(valuesFor(i)));
    if (i >= 5) times.push(performance.now() - t);
  }
  await db.end();
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(48)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   ` +
      `p99 ${percentile(times, 99).toFixed(1).padStart(7)} ms   (${runs} runs)`,
  );
}

const TARGET_CASES = /^(floor|lookup by|error rates 24 h at 1m$|spikes)/;
const CASES = process.env.BENCH_CASES === 'targets' ? TARGET_CASES : process.env.BENCH_CASES && new RegExp(process.env.BENCH_CASES);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

// wrk stops with a request in flight; its socket closes, but the api's handler runs on, query after
// query. Stopped then, the api ends its pg pool under that handler, which logs "Cannot use a pool after
// calling end on the pool" at shutdown. So the api is stopped only once no statement of it has been
// running on the bench database for two polls in a row (bounded: the api's statement timeout cuts any).
async function waitForApiQueries() {
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  const deadline = Date.now() + 30_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()",
      [DB],
    );
    quiet = rows[0].n === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
  await db.end();
}

/**
 * A database reused with BENCH_SKIP_LOAD may be cold in the OS page cache (the machine restarted or
 * read other files since): a lookup of a random id then reads its index leaf and heap page from disk,
 * 20–200 ms on a virtual disk, and those reads, not the code, make the lookup's p99. A fresh load leaves
 * the pages cached; reading every table and index of the database once (pg_prewarm, ~5 GB, tens of
 * seconds) puts a reused one in the same state, so the two measure the same thing.
 */
async function prewarm() {
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  await timed('prewarm (every table and index into the page cache)', () =>
    db.query(`SELECT sum(pg_prewarm(c.oid::regclass, 'read')) FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')`),
  );
  await db.end();
}

const now = new Date();
if (process.env.BENCH_SKIP_LOAD !== '1') await load(now);
else await prewarm();
const api = startApi();
try {
  await waitForHealth(PORT);
  const id = () => `req_${String(1 + Math.floor(Math.random() * RECORDS)).padStart(9, '0')}`;
  console.log(
    `\n${RECORDS.toLocaleString('en')} records; load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // Proportion for the lookup's tail: the api's cheapest route (no query) over the same HTTP path, and
  // the lookup's own SQL (the named statement the repository runs) without HTTP.
  const wholeRange = new Date(Date.now() - BENCH_DAYS * 86_400_000 - 3_600_000).toISOString();
  const oneKey = (i) => `key_bench_${String(1 + (i % 500)).padStart(5, '0')}`;
  // [label, runs from the Node client, path for run i, the path wrk requests ('lookup': a random id each time)]
  const cases = [
    ['floor: GET /health/live (no query)', 1000, () => '/health/live', '/health/live'],
    ['lookup by request id', 1000, () => `/v1/requests/${id()}`, 'lookup'],
    ['search first page (24 h, limit 50)', 200, () => '/v1/requests', '/v1/requests'],
    ['search first page, status=503', 200, () => '/v1/requests?status=503', '/v1/requests?status=503'],
    ['search first page, one API key', 200, (i) => `/v1/requests?apiKeyId=${oneKey(i)}`, `/v1/requests?apiKeyId=${oneKey(7)}`],
    ['error rates 24 h at 1m', 100, () => '/v1/error-rates?interval=1m', '/v1/error-rates?interval=1m'],
    [
      'error rates 24 h at 1m, route filter',
      50,
      () => '/v1/error-rates?interval=1m&route=/v1/sessions',
      '/v1/error-rates?interval=1m&route=/v1/sessions',
    ],
    [
      'error rates 24 h at 1m, one API key',
      50,
      (i) => `/v1/error-rates?interval=1m&apiKeyId=${oneKey(i)}`,
      `/v1/error-rates?interval=1m&apiKeyId=${oneKey(7)}`,
    ],
    [
      'error rates 24 h at 1h, grouped by route',
      50,
      () => '/v1/error-rates?interval=1h&groupBy=route',
      '/v1/error-rates?interval=1h&groupBy=route',
    ],
    ['spikes 24 h (429, 503)', 100, () => '/v1/spikes', '/v1/spikes'],
    // Hostile or careless searches over every stored day: served by the route / error-code indexes, or
    // (method, status class) cut by the rollups first; API_QUERY_TIMEOUT_MS bounds whatever is left.
    ...[
      ['errorCode matching nothing', 'errorCode=nonexistent'],
      ['errorCode=conflict (1%)', 'errorCode=conflict'],
      ['one route', 'route=/v1/api-keys/:id'],
      ['method matching nothing', 'method=OPTIONS'],
      ['method=GET, statusClass=5xx', 'method=GET&statusClass=5xx'],
    ].map(([label, filter]) => {
      const path = `/v1/requests?from=${wholeRange}&${filter}`;
      return [`search ${BENCH_DAYS} d, ${label}`, 50, () => path, path];
    }),
  ].filter(([label]) => !CASES || CASES.test(label));
  console.log('\nNode client (fetch, in this process):');
  await measureSql('lookup SQL alone (no HTTP)', 1000, () => [id()]);
  for (const [label, runs, pathFor] of cases) await measure(label, runs, pathFor);
  const runs = [];
  for (let run = 1; run <= REPEAT; run++) {
    console.log(`\nwrk (C client, own process), 10 s each (5 s for the slower queries)${REPEAT > 1 ? `, run ${run} of ${REPEAT}` : ''}:`);
    for (const [label, , , path] of cases) {
      runs.push({ run, ...(await measureWrk(label, path, label.startsWith('error') || label.startsWith('spikes') ? 5 : 10)) });
    }
  }
  if (REPEAT > 1) {
    console.log('\nwrk p50 / p99 ms (api CPU ms/request) per run:');
    for (const [label] of cases) {
      const cells = runs.filter((r) => r.label === label).map((r) => `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} (${r.cpuMs.toFixed(2)})`);
      console.log(`${label.padEnd(48)} ${cells.join('   ')}`);
    }
  }
} finally {
  // Wait for the api to finish shutting down (bounded) before dropping its database or exiting: what it
  // logs while stopping belongs to this run, and it must not be left running.
  const exited = new Promise((r) => api.once('exit', r));
  await waitForApiQueries().catch((err) => log(`could not check the api's queries before stopping it: ${err.message}`));
  api.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
  if (api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
  if (process.env.BENCH_KEEP !== '1') {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.end();
    log(`dropped ${DB}`);
  }
}
