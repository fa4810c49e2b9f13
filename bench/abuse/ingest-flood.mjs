// Hostile-ingest benchmark, run by hand (see docs/limits/ingest.md):
//   npm run build && bash scripts/with-services.sh node bench/abuse/ingest-flood.mjs [--seconds 20] [--senders 2]
// Starts the built api (and worker) on the Postgres/Redis of DATABASE_URL/REDIS_URL with a queue prefix
// of its own, then for each flood prints the api's RSS (VmRSS, sampled every 200 ms) and /health/live
// latency p50/p99/max (probed every 50 ms):
//   #1  NDJSON of 3.4M `{}` lines, gzip (10 KB on the wire)      → 413 by record count
//   #1b NDJSON of 100k `{}` lines, gzip (under the count limit)  → 422, every line validated
//   #10 maximum-size valid NDJSON bodies (~35k records, 10 MiB), worker running
//   #5  maximum-size bodies with no worker until the byte budget answers 503: Redis used_memory then.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { waitForHealth } from '../wait-for-health.mjs';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const SECONDS = arg('seconds', 20);
const SENDERS = arg('senders', 2);
const BUDGET_HEADROOM_MB = arg('budget-mb', 128);
// --phases 10 runs only the max-size flood (e.g. against a build without the record-count limit,
// where #1 would take the api to a multi-GB heap).
const PHASES = new Set((process.argv[process.argv.indexOf('--phases') + 1] ?? '').split(','));
const runs = (phase) => !process.argv.includes('--phases') || PHASES.has(phase);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
  throw new Error('set DATABASE_URL and REDIS_URL (run through scripts/with-services.sh)');
const PREFIX = `bench-abuse-${randomUUID().slice(0, 8)}`;
const KEY = `vlk_bench_${randomUUID().replaceAll('-', '')}`;
const API_PORT = Number(process.env.API_PORT ?? 3101);
const WORKER_PORT = Number(process.env.WORKER_PORT ?? 3201);
const base = `http://127.0.0.1:${API_PORT}`;
const log = (...a) => console.log(`[abuse ${new Date().toISOString().slice(11, 19)}]`, ...a);
const children = new Set();

function start(app, env) {
  const child = spawn('node', [`dist/apps/${app}/src/main.js`], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      API_PORT: String(API_PORT),
      WORKER_PORT: String(WORKER_PORT),
      QUEUE_PREFIX: PREFIX,
      BOOTSTRAP_ADMIN_KEY: KEY,
      RATE_LIMIT_INGEST_PER_WINDOW: '1000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Floods POST /v1/logs with `bodies` (round robin) from SENDERS loops for SECONDS, probing health and RSS meanwhile. */
async function flood(label, api, bodies, headers) {
  const stopAt = Date.now() + SECONDS * 1000;
  const health = [];
  const statuses = {};
  let rssMax = 0;
  let largestAnswer = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMiB(api.pid))), 200);
  const prober = (async () => {
    while (Date.now() < stopAt) {
      const t = performance.now();
      await fetch(`${base}/health/live`).then(
        (r) => r.text(),
        () => undefined,
      );
      health.push(performance.now() - t);
      await sleep(50);
    }
  })();
  let next = 0;
  const sender = async () => {
    while (Date.now() < stopAt) {
      const body = bodies[next++ % bodies.length];
      const res = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'x-api-key': KEY, ...headers }, body }).catch((e) => ({
        status: e.code ?? 'error',
        text: async () => '',
      }));
      const text = await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      largestAnswer = Math.max(largestAnswer, text.length);
    }
  };
  await Promise.all([prober, ...Array.from({ length: SENDERS }, sender)]);
  clearInterval(sampler);
  health.sort((a, b) => a - b);
  log(
    `${label}: answers ${JSON.stringify(statuses)}, largest answer ${largestAnswer} B; api RSS max ${rssMax.toFixed(0)} MiB` +
      ` (now ${rssMiB(api.pid).toFixed(0)}); /health/live p50 ${pct(health, 50).toFixed(1)} ms, p99 ${pct(health, 99).toFixed(1)} ms,` +
      ` max ${health.at(-1).toFixed(1)} ms over ${health.length} probes`,
  );
}

/** NDJSON bodies of valid records, each just under 10 MiB, with ids of their own. */
function maxSizeBodies(count) {
  return Array.from({ length: count }, (_, b) => {
    const lines = [];
    let size = 0;
    for (let i = 0; ; i++) {
      const line = JSON.stringify({
        requestId: `abuse-${PREFIX}-${b}-${i}`,
        timestamp: new Date().toISOString(),
        method: 'POST',
        path: '/v1/sessions/ses_8f2k91ab',
        status: i % 10 === 7 ? 422 : 201,
        durationMs: 42.5,
        apiKeyId: 'key_bench_1',
        clientIp: '203.0.113.7',
        userAgent: 'verilock-node/3.1',
        ...(i % 10 === 7
          ? {
              error: 'validation_error',
              message: 'The given data was invalid.',
              details: { redirect_url: ['The redirect url must be a valid URL.'] },
            }
          : {}),
      });
      if (size + line.length + 1 > 10 * 1024 * 1024) break;
      lines.push(line);
      size += line.length + 1;
    }
    return Buffer.from(lines.join('\n'));
  });
}

/** #5: maximum-size bodies with no worker until the byte budget (used_memory now + BUDGET_HEADROOM_MB) answers 503. */
async function tripByteBudget(bodies, queue) {
  const budget = (await usedMemory()) + BUDGET_HEADROOM_MB * 1024 * 1024;
  const api = start('api', { INGEST_MAX_REDIS_MEMORY_BYTES: String(budget) });
  await waitForHealth(API_PORT);
  log(`#5  no worker, INGEST_MAX_REDIS_MEMORY_BYTES = used_memory + ${BUDGET_HEADROOM_MB} MiB = ${budget}`);
  for (let i = 0; i < 400; i++) {
    const res = await fetch(`${base}/v1/logs`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/x-ndjson' },
      body: bodies[i % bodies.length],
    });
    const text = await res.text();
    if (res.status === 503) {
      log(
        `#5  body ${i + 1}: 503 Retry-After ${res.headers.get('retry-after')} ${text}; ` +
          `Redis used_memory now ${await usedMemory()} (budget ${budget}), jobs waiting ${await queue.getWaitingCount()}`,
      );
      break;
    }
    if (i % 5 === 0) log(`#5  body ${i + 1}: ${res.status}, Redis used_memory ${await usedMemory()}`);
  }
  await stop(api);
}

const redis = new Redis(process.env.REDIS_URL);
async function usedMemory() {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))[1]);
}
const ndjsonGzip = { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' };
try {
  const api = start('api', {});
  await waitForHealth(API_PORT);
  log(`api up (pid ${api.pid}), RSS ${rssMiB(api.pid).toFixed(0)} MiB; ${SENDERS} senders, ${SECONDS} s per flood`);
  if (runs('1')) await flood('#1  3.4M `{}` lines gzip', api, [gzipSync(Buffer.from('{}\n'.repeat(3_400_000)))], ndjsonGzip);
  if (runs('1b')) await flood('#1b 100k `{}` lines gzip', api, [gzipSync(Buffer.from('{}\n'.repeat(100_000)))], ndjsonGzip);
  const bodies = maxSizeBodies(4);
  log(`max-size bodies: ${bodies[0].length} bytes, ${bodies[0].toString().split('\n').length} records each`);
  if (runs('10')) {
    const worker = start('worker', {});
    await waitForHealth(WORKER_PORT);
    await flood('#10 max-size valid bodies, worker running', api, bodies, { 'content-type': 'application/x-ndjson' });
    await stop(worker);
  }
  await stop(api);
  const { hostname, port } = new URL(process.env.REDIS_URL);
  const queue = new Queue('access-log-batches', { connection: { host: hostname, port: Number(port || 6379) }, prefix: PREFIX });
  await queue.obliterate({ force: true });
  log('queue emptied');
  if (runs('5')) await tripByteBudget(bodies, queue);
  await queue.obliterate({ force: true });
  await queue.close();
} finally {
  for (const child of children) child.kill('SIGKILL');
  redis.disconnect();
}
