// The Node side's CPU per record alone, no HTTP, Redis or Postgres (after `bash scripts/build.sh`):
//   node bench/ingest/node-cpu-per-record.mjs
// api: decode → parse → validate → redact → encode of 40 bodies of 1000 simulated records; worker: job
// JSON → records → COPY text, rollup summary, inserted rows, metrics. Best and median of 15 rounds.
import { Queue } from 'bullmq';
import { loadConfig } from '#libs/config';
import { MetricSources, createRegistry } from '#libs/metrics';
import { IngestJobProducer, TimeSlicer, ingestJobData, jobRecords } from '#libs/queue';
import { TrafficGenerator } from '#libs/traffic-model';

const dist = new URL('../../dist/libs/', import.meta.url);
const { parseBatch } = await import(new URL('ingest/src/parse-batch.js', dist).href);
const { copyRows, asInsertedRow } = await import(new URL('store/src/writer/copy-text.js', dist).href);
const { summariseForRollups } = await import(new URL('store/src/writer/rollup-summary.js', dist).href);
const { LogMetrics } = await import(new URL('log-writer/src/log-metrics.js', dist).href);
const { REQUEST_METRICS_CONFIG } = await import(new URL('log-writer/src/request-metrics.config.js', dist).href);

const generator = new TrafficGenerator({ seed: 2 });
const batches = Array.from({ length: 40 }, (_, i) => generator.batch(1000, new Date(Date.now() - 60_000 + i * 1000), 1000));
const bodies = batches.map((b) => Buffer.from(JSON.stringify(b)));
const jobs = batches.map((b) => JSON.stringify(ingestJobData(b, new Date().toISOString(), 'http', null)));

// The producer never reaches Redis here: prepare() only validates, redacts and encodes.
const queue = new Queue('cpu-per-record', { connection: { host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false } });
queue.on('error', () => undefined);
const producer = new IngestJobProducer(queue, {
  limits: { maxFutureSkewSeconds: 300, maxAgeDays: 7 },
  redaction: { fields: ['password', 'secret', 'token', 'apikey', 'authorization', 'cookie'], clientIpMode: 'full' },
  jobBatchSize: 1000,
  enqueueTimeoutMs: 1000,
  maxBacklog: 1e6,
  maxRedisMemoryBytes: 1e12,
});
const metrics = new LogMetrics(createRegistry(), new MetricSources(), loadConfig([REQUEST_METRICS_CONFIG], {}).requestMetrics);

async function api(body) {
  const slicer = new TimeSlicer();
  const candidates = await parseBatch(body, 'application/json', 10_000, slicer, false);
  const batch = await producer.prepare(candidates, { receivedAt: new Date(), source: 'http', ingestKeyId: null }, slicer);
  if (batch.accepted !== 1000) throw new Error(`accepted ${batch.accepted} of 1000`);
}

function worker(job) {
  const records = jobRecords(JSON.parse(job));
  copyRows(records, '2026-12-01T00:00:00.000Z', null);
  summariseForRollups(records);
  metrics.observeStored({ inserted: records.map(asInsertedRow), duplicates: 0 });
}

async function measure(name, inputs, run) {
  for (let r = 0; r < 3; r++) for (const input of inputs) await run(input);
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const before = process.cpuUsage();
    for (const input of inputs) await run(input);
    const used = process.cpuUsage(before);
    rounds.push((used.user + used.system) / (inputs.length * 1000));
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name}: best ${rounds[0].toFixed(2)} / median ${rounds[7].toFixed(2)} µs of CPU per record`);
}

await measure('api', bodies, api);
await measure('worker', jobs, worker);
await queue.close().catch(() => undefined);
