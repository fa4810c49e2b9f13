// OTLP ingest benchmark, run by hand: `npm run bench:otlp` (builds first). Starts the built api alone (no
// worker: this measures the api's side, read → map → validate → enqueue, not storage) on a Redis
// database of its own (REDIS_URL's db 15, flushed before and after), and sends the same records as
// POST /v1/logs JSON and as POST /otlp/v1/logs protobuf and JSON, in bodies of BENCH_BATCH records, one
// request at a time then BENCH_CONCURRENCY at once. Prints records/s to the answer and the api's CPU
// µs per record (user + system from /proc, the figure a loaded machine disturbs least).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import otlpRoot from '@opentelemetry/otlp-transformer/build/src/generated/root.js';
import { cpuSeconds } from './cpu-seconds.mjs';
import { waitForHealth } from './wait-for-health.mjs';

const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PORT = Number(process.env.API_PORT ?? 3000 + Math.floor(Math.random() * 20000) + 20000);
const API_KEY = `vlk_bench_${randomUUID().replaceAll('-', '')}`;
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL (npm run bench:otlp sets them)');
const redisUrl = Object.assign(new URL(process.env.REDIS_URL), { pathname: '/15' }).toString();
const Request = otlpRoot.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

const STATUSES = [200, 200, 200, 201, 204, 404, 409, 422, 429, 503];
/** One access log, as our record and as an OTLP log record with HTTP semantic-convention attributes. */
function access(run, i) {
  const status = STATUSES[i % STATUSES.length];
  const at = Date.now() - 60_000 + (i % 1000);
  const record = {
    requestId: `bench_${run}_${i}`,
    timestamp: new Date(at).toISOString(),
    method: i % 3 ? 'GET' : 'POST',
    path: `/v1/users/usr_${i % 5000}`,
    route: '/v1/users/:id',
    status,
    durationMs: 3 + (i % 200) / 10,
    ...(status >= 400 ? { error: 'conflict', message: 'The request conflicts with the current state.' } : {}),
    ...(status === 429 ? { retryAfter: 30 } : {}),
    userAgent: 'verilock-node/3.1',
  };
  const str = (key, value) => ({ key, value: { stringValue: value } });
  const attributes = [
    { key: 'http.request.header.x-request-id', value: { arrayValue: { values: [{ stringValue: record.requestId }] } } },
    str('http.request.method', record.method),
    str('url.path', record.path),
    str('http.route', record.route),
    { key: 'http.response.status_code', value: { intValue: status } },
    { key: 'http.server.request.duration', value: { doubleValue: record.durationMs / 1000 } },
    str('user_agent.original', record.userAgent),
    ...(record.error ? [str('verilock.error.code', record.error)] : []),
    ...(record.retryAfter ? [{ key: 'http.response.header.retry-after', value: { arrayValue: { values: [{ stringValue: '30' }] } } }] : []),
  ];
  const body = record.message
    ? { stringValue: JSON.stringify({ error: record.error, message: record.message }) }
    : { stringValue: 'served' };
  return { record, log: { timeUnixNano: `${at}000000`, attributes, body } };
}

function bodies(run, format) {
  return Array.from({ length: REQUESTS }, (_, r) => {
    const items = Array.from({ length: BATCH }, (_, i) => access(`${run}_${format}`, r * BATCH + i));
    if (format === 'records') return Buffer.from(JSON.stringify(items.map((item) => item.record)));
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'verilock-api' } }] },
          scopeLogs: [{ logRecords: items.map((item) => item.log) }],
        },
      ],
    };
    return format === 'otlp-json'
      ? Buffer.from(JSON.stringify(request))
      : Buffer.from(Request.encode(Request.fromObject(request)).finish());
  });
}

const CASES = {
  records: { path: '/v1/logs', type: 'application/json', expect: 202 },
  'otlp-protobuf': { path: '/otlp/v1/logs', type: 'application/x-protobuf', expect: 200 },
  'otlp-json': { path: '/otlp/v1/logs', type: 'application/json', expect: 200 },
};

async function measure(api, name, concurrency) {
  const { path, type, expect } = CASES[name];
  const payloads = bodies(`${name}_${concurrency}_${Date.now().toString(36)}`, name);
  const bytes = payloads.reduce((sum, body) => sum + body.length, 0);
  const cpuBefore = cpuSeconds(api.pid);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) {
        const body = payloads[next++];
        const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
          method: 'POST',
          headers: { 'content-type': type, 'x-api-key': API_KEY },
          body,
        });
        const text = await res.text();
        if (res.status !== expect || text.includes('partialSuccess')) throw new Error(`${name}: ${res.status} ${text.slice(0, 300)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const records = REQUESTS * BATCH;
  const cpuUs = ((cpuSeconds(api.pid) - cpuBefore) * 1e6) / records;
  console.log(
    `| ${name.padEnd(13)} | ${String(concurrency).padStart(2)} | ${String(Math.round(bytes / REQUESTS / 1024)).padStart(5)} KiB | ` +
      `${String(Math.round(records / seconds)).padStart(7)} | ${cpuUs.toFixed(1).padStart(5)} |`,
  );
}

const redis = new Redis(redisUrl);
await redis.flushdb();
const api = spawn('node', ['dist/apps/api/src/main.js'], {
  env: {
    ...process.env,
    REDIS_URL: redisUrl,
    API_PORT: String(PORT),
    HOST: '127.0.0.1',
    BOOTSTRAP_ADMIN_KEY: API_KEY,
    RATE_LIMIT_INGEST_PER_WINDOW: '1000000',
    INGEST_MAX_BACKLOG: '1000000',
    // Building a case's bodies can take longer than the default 5 s: an idle kept-alive socket must not be closed under the client.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '600000',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  await waitForHealth(PORT, { timeoutMs: 30_000, child: api });
  console.log(`${REQUESTS} requests of ${BATCH} records per case, api alone (no worker), ${new Date().toISOString()}`);
  console.log('| body | concurrency | body size | records/s to the answer | api CPU µs/record |');
  console.log('|---|---|---|---|---|');
  const names = Object.keys(CASES).filter((name) => new RegExp(process.env.BENCH_CASES ?? '.').test(name));
  for (const concurrency of [1, CONCURRENCY]) for (const name of names) await measure(api, name, concurrency);
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => api.once('exit', resolve));
  await redis.flushdb();
  redis.disconnect();
}
