import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simulateTraffic } from '#libs/traffic-simulator';
import { parseBenchArgs } from './bench-args.js';
import { BenchDatabase } from './bench-database.js';
import { copyCeiling } from './copy-ceiling.js';
import { commandCpuSeconds } from './cpu-time.js';
import { directStore, httpIngest, shipperIngest } from './load-phases.js';
import { rssTimeline, summariseMemory } from './memory-report.js';
import { ServiceProcess } from './service-processes.js';

// `npm run bench:ingest -- [--soak-seconds 300] …`: one run, figures printed and saved to .local/bench-ingest.json.
const args = parseBenchArgs(process.argv.slice(2), process.env);
const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL) throw new Error('DATABASE_URL and REDIS_URL must be set (bench/ingest/run.sh sets them)');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const log = (message: string) => console.log(`[bench] ${message}`);
const loadBefore = load();

const db = await BenchDatabase.create(DATABASE_URL);
const processes: ServiceProcess[] = [];
try {
  // The ceiling moves by ±15% from one COPY to the next here: take the median of three.
  log(`COPY ceiling: ${args.records} records, three times`);
  const copies = [];
  for (let i = 0; i < 3; i++) {
    copies.push(await copyCeiling(db, args.records));
    await db.truncate();
  }
  copies.sort((a, b) => a.perSecond - b.perSecond);
  const copy = copies[1]!;
  log(`COPY: ${copies.map((c) => Math.round(c.perSecond)).join(' / ')} records/s; median ${Math.round(copy.perSecond)}`);

  log(`worker SQL alone (RequestLogRepository.storeBatch, batches of ${args.batchSize}, 2 connections): ${args.records} records`);
  const direct = await directStore(db, args.records, args.batchSize, 2);
  log(`storeBatch: ${Math.round(direct.perSecond)} records/s`);
  await db.truncate();

  // The api authenticates the bench's key as its bootstrap admin key, and no rate limit or backlog
  // bound may throttle the measurement (the bench measures throughput, not the limits).
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: `bench-${process.pid}`,
    INGEST_JOB_BATCH_SIZE: String(args.batchSize),
    BOOTSTRAP_ADMIN_KEY: args.apiKey,
    RATE_LIMIT_INGEST_PER_WINDOW: '1000000000',
    RATE_LIMIT_QUERY_PER_WINDOW: '1000000000',
    INGEST_MAX_BACKLOG: '1000000',
  };
  const worker = await ServiceProcess.start('worker', env, args.sampleEverySeconds * 1000);
  const api = await ServiceProcess.start('api', env, args.sampleEverySeconds * 1000);
  processes.push(api, worker);

  log(`HTTP ingest → stored: ${args.records} records, batches of ${args.batchSize}, ${args.concurrency} in flight`);
  // Where the two cores went in each phase: the api, the worker, Postgres (all its processes), Redis.
  const cpu = () => {
    const bench = process.cpuUsage();
    return {
      api: api.cpuSeconds(), worker: worker.cpuSeconds(), postgres: commandCpuSeconds('postgres'), redis: commandCpuSeconds('redis-server'),
      bench: (bench.user + bench.system) / 1e6,
    };
  };
  const cpuUsed = (before: ReturnType<typeof cpu>) => {
    const now = cpu();
    return {
      apiSeconds: round(now.api - before.api),
      workerSeconds: round(now.worker - before.worker),
      postgresSeconds: round(now.postgres - before.postgres),
      redisSeconds: round(now.redis - before.redis),
      /** This process: the HTTP load generator, or the shipper standing in for the Verilock API. */
      benchSeconds: round(now.bench - before.bench),
    };
  };
  let cpuBefore = cpu();
  const http = await httpIngest(db, api.url, args.apiKey, args.records, args.batchSize, args.concurrency);
  const httpCpu = cpuUsed(cpuBefore);
  const httpLag = await db.lagPercentiles('stored_at - received_at');
  log(`HTTP: ${Math.round(http.perSecond)} records/s (POSTs from ${http.client})`);
  await db.truncate();

  log(`shipper → BullMQ → stored: ${args.records} records`);
  cpuBefore = cpu();
  const shipper = await shipperIngest(db, REDIS_URL, env.QUEUE_PREFIX, args.records, args.batchSize);
  const shipperCpu = cpuUsed(cpuBefore);
  const shipperLag = await db.lagPercentiles('stored_at - received_at');
  log(`shipper: ${Math.round(shipper.perSecond)} records/s`);
  await db.truncate();

  const soakRate = args.soakRate ?? Math.round(http.perSecond / 2);
  log(`soak: ${soakRate} records/s of simulated traffic for ${args.soakSeconds} s, memory sampled every ${args.sampleEverySeconds} s`);
  const soakStart = Date.now();
  const soak = await simulateTraffic({ url: api.url, apiKey: args.apiKey, rate: soakRate, durationSeconds: args.soakSeconds, batchSize: 500, progressEverySeconds: 30,
    onProgress: (s) => log(`  ${s.elapsedSeconds.toFixed(0)} s: ${s.shipped} accepted; api RSS ${api.sample()?.rssMiB.toFixed(0)} MiB, worker RSS ${worker.sample()?.rssMiB.toFixed(0)} MiB`) });
  await db.waitForRows(soak.generated);
  const soakLag = await db.lagPercentiles('stored_at - sent_at');
  const soakPipelineLag = await db.lagPercentiles('stored_at - received_at');
  const soakSamples = (p: ServiceProcess) => p.samples.filter((s) => s.at >= soakStart);

  const report = {
    at: new Date().toISOString(),
    load: { before: loadBefore, after: load() },
    args,
    copy,
    direct: { ...direct, ratioToCopy: direct.perSecond / copy.perSecond },
    http: { ...http, ratioToCopy: http.perSecond / copy.perSecond, lagMs: httpLag, cpu: httpCpu },
    shipper: { ...shipper, ratioToCopy: shipper.perSecond / copy.perSecond, lagMs: shipperLag, cpu: shipperCpu },
    soak: {
      rate: soakRate,
      seconds: args.soakSeconds,
      stored: soak.generated,
      lagMs: soakLag,
      pipelineLagMs: soakPipelineLag,
      api: { ...summariseMemory(soakSamples(api)), timeline: rssTimeline(soakSamples(api)) },
      worker: { ...summariseMemory(soakSamples(worker)), timeline: rssTimeline(soakSamples(worker)) },
    },
  };
  mkdirSync('.local', { recursive: true });
  writeFileSync('.local/bench-ingest.json', JSON.stringify(report, null, 2));
  printReport(report);
} finally {
  for (const p of processes) await p.stop();
  if (!args.keep) await db.drop();
  else await db.pool.end();
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function printReport(r: { [k: string]: any }): void {
  const rate = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lag = (l: any) => `p50 ${l.p50} / p95 ${l.p95} / p99 ${l.p99} / max ${l.max} ms`;
  console.log(`
| measure | records | records/s | vs COPY | lag (stored − accepted) | CPU s api / worker / Postgres / Redis / load generator (or shipper) |
|---|---|---|---|---|---|
| COPY into request_logs (ceiling) | ${r.copy.records} | ${rate(r.copy.perSecond)} | 100% | | |
| storeBatch alone (the worker's SQL, 2 connections) | ${r.direct.records} | ${rate(r.direct.perSecond)} | ${pct(r.direct.ratioToCopy)} | | |
| HTTP POST /v1/logs (from ${r.http.client}) → BullMQ → stored | ${r.http.records} | ${rate(r.http.perSecond)} | ${pct(r.http.ratioToCopy)} | ${lag(r.http.lagMs)} | ${r.http.cpu.apiSeconds} / ${r.http.cpu.workerSeconds} / ${r.http.cpu.postgresSeconds} / ${r.http.cpu.redisSeconds} / ${r.http.cpu.benchSeconds} |
| shipper → BullMQ → stored | ${r.shipper.records} | ${rate(r.shipper.perSecond)} | ${pct(r.shipper.ratioToCopy)} | ${lag(r.shipper.lagMs)} | — / ${r.shipper.cpu.workerSeconds} / ${r.shipper.cpu.postgresSeconds} / ${r.shipper.cpu.redisSeconds} / ${r.shipper.cpu.benchSeconds} |

soak: ${r.soak.rate} records/s for ${r.soak.seconds} s (${r.soak.stored} records), lag sent → stored ${lag(r.soak.lagMs)}, accepted → stored ${lag(r.soak.pipelineLagMs)}
| process | peak RSS (VmHWM, whole run) | RSS after warm-up → at the end | growth | RSS timeline (MiB) |
|---|---|---|---|---|
| api | ${r.soak.api.peakMiB} MiB | ${r.soak.api.earlyMiB} → ${r.soak.api.lateMiB} MiB | ${r.soak.api.growthPercent}% | ${r.soak.api.timeline} |
| worker | ${r.soak.worker.peakMiB} MiB | ${r.soak.worker.earlyMiB} → ${r.soak.worker.lateMiB} MiB | ${r.soak.worker.growthPercent}% | ${r.soak.worker.timeline} |
load average before ${r.load.before}, after ${r.load.after} (2 cores)`);
}
