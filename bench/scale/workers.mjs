// `npm run bench:workers` (inside scripts/with-services.sh, after a build): store throughput with 1 and
// with 2 worker processes (`--workers 1,2,3` to change), on the same backlog. For each count: N records
// (`--records`, 60000) are queued first through one api (then stopped, so its CPU is not in the
// figures), the workers start together, and from the moment all are ready until the last row is
// stored the script reads records/s and the CPU seconds of each worker, of this Postgres (postmaster
// and children) and of this Redis (/proc). A scratch database beside DATABASE_URL's (created,
// migrated, dropped) holds the rows.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createScratchDatabase } from '../scratch-database.mjs';
import { cpuSeconds, redisServerPid } from '../cpu-seconds.mjs';
import { waitForHealth } from '../wait-for-health.mjs';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const RECORDS = Number(arg('records', 60_000));
const COUNTS = arg('workers', '1,2').split(',').map(Number);
const PER_POST = 1000;
const KEY = `vlk_bench_${randomUUID().replaceAll('-', '')}`;
const SCRATCH = 'verilock_bench_scale';
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (scripts/with-services.sh)');
const log = (...a) => console.log(`[workers ${new Date().toISOString().slice(11, 19)}]`, ...a);

/**
 * This run's Postgres and Redis only (other Postgres and Redis servers may share the machine): the
 * postmaster and its children (backends, background processes), and the redis-server process.
 */
async function serverPids(db) {
  const dataDir = (await db.query('SHOW data_directory')).rows[0].data_directory;
  const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  return { postmaster, redis: await redisServerPid(process.env.REDIS_URL) };
}
const parentPid = (pid) => Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** CPU seconds of the postmaster and every process it forked (readable: the same user runs them). */
function postgresCpu(postmaster) {
  let total = cpuSeconds(postmaster);
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (parentPid(pid) === postmaster) total += cpuSeconds(pid);
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

let port = 3111;
function start(app, env) {
  const p = port++;
  const child = spawn('node', [`dist/apps/${app}/src/main.js`], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', [app === 'api' ? 'API_PORT' : 'WORKER_PORT']: String(p) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, port: p };
}
const ready = ({ child, port: p }) => waitForHealth(p, { path: '/health/ready', timeoutMs: 120_000, child });
async function stop({ child }) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

function records(n) {
  return Array.from({ length: n }, (_, i) => ({
    requestId: `req_bench_${randomUUID()}`,
    timestamp: new Date(Date.now() - (i % 600) * 100).toISOString(),
    method: i % 3 ? 'GET' : 'POST',
    path: `/v1/sessions/ses_${i % 50}`,
    status: [200, 201, 200, 422, 429, 503][i % 6],
    durationMs: 5 + (i % 200),
    apiKeyId: `key_bench_${i % 20}`,
  }));
}

const scratch = await createScratchDatabase(SCRATCH);
const db = new pg.Pool({ connectionString: scratch.url, max: 1 });
const pids = await serverPids(db);
const stored = async () => Number((await db.query('SELECT coalesce(sum(count), 0) AS n FROM request_status_rollups_minute')).rows[0].n);

const results = [];
try {
  for (const count of COUNTS) {
    await db.query('TRUNCATE request_logs, request_rollups_minute, request_route_rollups_minute, request_status_rollups_minute');
    const env = {
      DATABASE_URL: scratch.url,
      QUEUE_PREFIX: `bench-workers-${randomUUID().slice(0, 8)}`,
      BOOTSTRAP_ADMIN_KEY: KEY,
      RATE_LIMIT_INGEST_PER_WINDOW: '10000000',
      INGEST_MAX_BACKLOG: '100000',
      NODE_OPTIONS: '--max-semi-space-size=64', // as the Docker image and `npm run up` start the services
    };
    const api = start('api', env);
    await ready(api);
    for (let sent = 0; sent < RECORDS; sent += PER_POST) {
      const res = await fetch(`http://127.0.0.1:${api.port}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY },
        body: JSON.stringify(records(Math.min(PER_POST, RECORDS - sent))),
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
    await stop(api);
    log(`${RECORDS} records queued; starting ${count} worker(s)`);
    const workers = Array.from({ length: count }, () => start('worker', env));
    await Promise.all(workers.map(ready));
    const t0 = performance.now();
    const rows0 = await stored();
    const cpu0 = {
      workers: workers.map((w) => cpuSeconds(w.child.pid)),
      postgres: postgresCpu(pids.postmaster),
      redis: cpuSeconds(pids.redis),
    };
    while ((await stored()) < RECORDS) await sleep(50);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = {
      workers: workers.map((w, i) => +(cpuSeconds(w.child.pid) - cpu0.workers[i]).toFixed(2)),
      postgres: +(postgresCpu(pids.postmaster) - cpu0.postgres).toFixed(2),
      redis: +(cpuSeconds(pids.redis) - cpu0.redis).toFixed(2),
    };
    await Promise.all(workers.map(stop));
    const measured = RECORDS - rows0;
    if (measured < RECORDS / 2) log('most records were stored before every worker was ready: use more --records');
    const workerCpu = cpu.workers.reduce((a, b) => a + b, 0);
    const result = {
      workers: count,
      recordsMeasured: measured,
      seconds: +seconds.toFixed(2),
      recordsPerSecond: Math.round(measured / seconds),
      cpuSeconds: cpu,
      workerCpuMicrosPerRecord: Math.round((workerCpu / measured) * 1e6),
      postgresCpuMicrosPerRecord: Math.round((cpu.postgres / measured) * 1e6),
      cpuBusyOfTwoCores: +((workerCpu + cpu.postgres + cpu.redis) / seconds / 2).toFixed(2),
    };
    results.push(result);
    log(JSON.stringify(result));
  }
} finally {
  await db.end();
  await scratch.drop();
}
const [one, two] = results;
if (one && two) log(`speed-up with ${two.workers} workers: ${(two.recordsPerSecond / one.recordsPerSecond).toFixed(2)}x`);
