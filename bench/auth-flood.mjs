// Key-guessing flood, run by hand: `npm run bench:auth` (builds first). Starts the built api twice on
// the Postgres/Redis of DATABASE_URL/REDIS_URL: with the failed-authentication limit at its default,
// and with it out of reach (as before the limit existed). Each time: 100 wrk connections send random
// wrong keys for BENCH_SECONDS (20) while one client times valid lookups (GET /v1/requests/<id>, a
// Postgres query); prints the flood's rate and answers, the Postgres key lookups it cost (from
// /metrics), and the valid lookups' p50/p99 before and during the flood.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { waitForHealth } from './wait-for-health.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = Number(process.env.API_PORT ?? 3000 + Math.floor(Math.random() * 20000) + 20000);
const API_KEY = `vlk_bench_${randomUUID().replaceAll('-', '')}`;
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (npm run bench:auth sets them)');
if (!WRK) throw new Error('wrk is not installed (apt-get install wrk)');

const base = `http://127.0.0.1:${PORT}`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function startApi(env) {
  const api = spawn('node', ['dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      API_PORT: String(PORT),
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_KEY: API_KEY,
      RATE_LIMIT_QUERY_PER_WINDOW: '100000000',
      QUEUE_PREFIX: `bench-auth-${randomUUID().slice(0, 8)}`,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth(PORT, { child: api }).catch((err) => {
    api.kill('SIGKILL');
    throw err;
  });
  return api;
}

/** Valid lookups, one at a time, until `until()` says stop (at least `min`): their latencies in ms, sorted. */
async function validLookups(min, until = () => true) {
  const times = [];
  while (times.length < min || !until()) {
    const t = performance.now();
    const res = await fetch(`${base}/v1/requests/req_auth_flood_valid`, { headers: { 'X-API-Key': API_KEY } });
    await res.arrayBuffer();
    if (res.status !== 404) throw new Error(`valid lookup answered ${res.status}`);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function metric(name, label) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sums = {};
  for (const m of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)`, 'gm'))) {
    const value = new RegExp(`${label}="([^"]*)"`).exec(m[1])?.[1] ?? '';
    sums[value] = (sums[value] ?? 0) + Number(m[2]);
  }
  return sums;
}

const fmt = (sorted) =>
  `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${sorted.length} lookups)`;

async function phase(label, env) {
  const api = await startApi(env);
  try {
    const idle = await validLookups(200);
    let flooding = true;
    const wrk = promisify(execFile)(WRK, ['-t2', '-c100', `-d${SECONDS}s`, '-s', 'bench/wrk-wrong-keys.lua', base]).finally(
      () => (flooding = false),
    );
    wrk.catch(() => undefined); // awaited below; a failure must still stop the api in `finally`
    await sleep(1000);
    const during = await validLookups(20, () => !flooding);
    const { stdout } = await wrk;
    const rate = /Requests\/sec:\s+(\S+)/.exec(stdout)?.[1];
    const statuses = [...stdout.matchAll(/^status (\d+): (\d+)$/gm)].map((m) => `${m[1]}×${m[2]}`).join(', ');
    console.log(`\n${label}`);
    console.log(`  wrong-key flood: ${rate} req/s over ${SECONDS} s, answers ${statuses}`);
    console.log(`  Postgres key lookups: ${JSON.stringify(await metric('verilock_auth_key_lookups_total', 'result'))}`);
    console.log(`  refusals: ${JSON.stringify(await metric('verilock_auth_refusals_total', 'reason'))}`);
    console.log(`  valid lookups idle:   ${fmt(idle)}`);
    console.log(`  valid lookups during: ${fmt(during)}`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
  }
}

await phase('failed-auth limit at its default (AUTH_MAX_FAILURES_PER_MINUTE=30)', {});
await phase('failed-auth limit out of reach (as before it existed; unknown-key cache on)', { AUTH_MAX_FAILURES_PER_MINUTE: '100000000' });
