/**
 * By hand (issue 12, row #2): floods the real api + worker with records that are each their own
 * method × route × status × error code × key combination, then prints the worker's /metrics series
 * count, bytes and render time, and /health/live latency while 20 scrapers hammer /metrics.
 *   bash scripts/with-services.sh bash -c 'bash scripts/build.sh && node bench/abuse/metrics-cardinality.mjs'
 * BENCH_RECORDS (default 100000) records; the services use their defaults (METRICS_MAX_SERIES…) unless
 * the environment says otherwise.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PER_REQUEST = 5000;
const SCRAPERS = 20;
const HAMMER_SECONDS = 15;
const key = randomBytes(24).toString('hex');
const env = {
  BOOTSTRAP_ADMIN_KEY: key,
  QUEUE_PREFIX: `bench-metrics-${randomUUID().slice(0, 8)}`,
  RATE_LIMIT_INGEST_PER_WINDOW: '1000000',
  HOST: '127.0.0.1',
};

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function start(name) {
  const port = await freePort();
  const child = spawn('node', [`dist/apps/${name}/src/main.js`], {
    env: { ...process.env, ...env, [name === 'api' ? 'API_PORT' : 'WORKER_PORT']: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) return { url, child };
    } catch {}
    if (i > 300) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const ms = (v) => `${v.toFixed(1)} ms`;
const sample = (text, name, labels = '') =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name) && l.includes(labels))
    .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);

/**
 * Record `i`: every label within its cap (199 routes, 47 error codes, 97 keys, 7 methods, 499
 * statuses: coprime, so the first 7 × 199 × 47 × 97 × 499 records are distinct combinations), as in
 * row #2 — each label bounded, their product not.
 */
function record(i) {
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  return {
    requestId: `req_bench_${i}_${randomUUID().slice(0, 8)}`,
    timestamp: new Date(Date.now() - 1000).toISOString(),
    method: methods[i % 7],
    path: `/v1/flood/r${i % 199}`,
    status: 100 + (i % 499),
    durationMs: (i % 500) / 10,
    error: `junk_code_${i % 47}`,
    apiKeyId: `junk_key_${i % 97}`,
  };
}

/**
 * /health/live latencies probed every 50 ms until `until`, from a process of its own: the scrapers'
 * decoding in this one must not show up as the worker's latency.
 */
async function probeLive(url, until) {
  const script =
    `const l = []; (async () => { while (Date.now() < ${until}) { const t = performance.now(); ` +
    `await (await fetch('${url}/health/live')).text(); l.push(performance.now() - t); ` +
    `await new Promise((r) => setTimeout(r, 50)); } console.log(JSON.stringify(l)); })();`;
  const child = spawn('node', ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await once(child, 'exit');
  return JSON.parse(out).sort((a, b) => a - b);
}

const api = await start('api');
const worker = await start('worker');
try {
  const started = Date.now();
  for (let i = 0; i < RECORDS; i += PER_REQUEST) {
    const body = JSON.stringify(Array.from({ length: Math.min(PER_REQUEST, RECORDS - i) }, (_, k) => record(i + k)));
    const res = await fetch(`${api.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body,
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
  let text = '';
  while (sample(text, 'verilock_ingest_records_stored_total') < RECORDS) {
    await new Promise((r) => setTimeout(r, 1000));
    text = await (await fetch(`${worker.url}/metrics`)).text();
  }
  console.log(`flood: ${RECORDS} records, each its own combination, stored in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Render time: scrapes spaced past METRICS_RENDER_CACHE_MS, so each is a fresh render (client side, HTTP included).
  const cacheMs = Number(process.env.METRICS_RENDER_CACHE_MS ?? 1000);
  const renders = [];
  let body = '';
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, cacheMs + 100));
    const t = performance.now();
    body = await (await fetch(`${worker.url}/metrics`)).text();
    renders.push(performance.now() - t);
  }
  renders.sort((a, b) => a - b);
  const lines = body.split('\n').filter((l) => l && !l.startsWith('#'));
  const apiSamples = lines.filter((l) => l.startsWith('verilock_api_')).length;
  console.log(
    `worker /metrics: ${lines.length} samples (${apiSamples} verilock_api_*, ` +
      `limit ${sample(body, 'verilock_metrics_series_limit')}), ${(body.length / 1024).toFixed(0)} KiB`,
  );
  const folded = lines
    .filter((l) => l.startsWith('verilock_metrics_folded_records_total'))
    .map((l) => [l.slice(l.indexOf('{'), l.indexOf('}') + 1), Number(l.split(' ').at(-1))]);
  console.log(`  folded records: ${JSON.stringify(Object.fromEntries(folded))}`);
  const renderSum = sample(body, 'verilock_metrics_render_duration_seconds_sum');
  const renderCount = sample(body, 'verilock_metrics_render_duration_seconds_count');
  console.log(
    `  scrape of a fresh render (20, sequential): p50 ${ms(percentile(renders, 50))}, p99 ${ms(percentile(renders, 99))}; ` +
      `server-side mean ${ms((1000 * renderSum) / renderCount)}`,
  );

  const quiet = await probeLive(worker.url, Date.now() + 5000);
  console.log(
    `worker /health/live, no scraper (${quiet.length} probes): p50 ${ms(percentile(quiet, 50))}, p99 ${ms(percentile(quiet, 99))}`,
  );

  // 20 scrapers in closed loops for HAMMER_SECONDS (gzip, as Prometheus asks), /health/live probed meanwhile.
  const rendersBefore = sample(body, 'verilock_metrics_renders_total');
  const until = Date.now() + HAMMER_SECONDS * 1000;
  let scrapes = 0;
  const scraper = async () => {
    while (Date.now() < until) {
      await (await fetch(`${worker.url}/metrics`)).text();
      scrapes++;
    }
  };
  const [live] = await Promise.all([probeLive(worker.url, until), ...Array.from({ length: SCRAPERS }, scraper)]);
  const after = await (await fetch(`${worker.url}/metrics`)).text();
  console.log(
    `${SCRAPERS} scrapers for ${HAMMER_SECONDS} s: ${scrapes} scrapes served by ` +
      `${sample(after, 'verilock_metrics_renders_total') - rendersBefore} renders`,
  );
  console.log(
    `  worker /health/live meanwhile (${live.length} probes): ` +
      `p50 ${ms(percentile(live, 50))}, p99 ${ms(percentile(live, 99))}, max ${ms(live.at(-1))}`,
  );
} finally {
  for (const { child } of [api, worker]) child.kill('SIGTERM');
  await Promise.all([api, worker].map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));
}
