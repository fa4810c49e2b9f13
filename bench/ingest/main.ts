import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { INGEST_QUEUE } from '#libs/queue';
import { redisConnection } from '#libs/redis';
import { simulateTraffic } from '#libs/traffic-simulator';
import { sampleSum } from '../../test/support/metrics-text.js';
import { parseBenchArgs } from './bench-args.js';
import { BenchDatabase } from './bench-database.js';
import { copyCeiling } from './copy-ceiling.js';
import { durabilityRuns, durabilityTable } from './durability.js';
import { directStore, httpIngest, shipperIngest } from './load-phases.js';
import { rssTimeline, summariseMemory } from './memory-report.js';
import { CpuMeter, microsPerRecord } from './phase-cpu.js';
import { printReport } from './print-report.js';
import { ServiceProcess } from './service-processes.js';

// `npm run bench:ingest -- [--soak-seconds 300] …`: one run, figures printed and saved to .local/bench-ingest.json.
const args = parseBenchArgs(process.argv.slice(2), process.env);
const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL) throw new Error('DATABASE_URL and REDIS_URL must be set (bench/ingest/run.sh sets them)');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const log = (message: string) => console.log(`[bench] ${message}`);
const loadBefore = load();

const db = await BenchDatabase.create(DATABASE_URL);
const queuePrefix = `bench-${process.pid}`;
const processes: ServiceProcess[] = [];
try {
  // The ceiling moves by ±15% from one COPY to the next here, and with the machine's neighbours over
  // a run: it is measured twice now and twice after the pipeline phases, and the median of the four
  // is the ceiling (the best of them is reported too).
  const copies: Awaited<ReturnType<typeof copyCeiling>>[] = [];
  const measureCopy = async (times: number) => {
    for (let i = 0; i < times; i++) {
      copies.push(await copyCeiling(db, args.records));
      await db.truncate();
    }
  };
  log(`COPY ceiling: ${args.records} records, twice now and twice after the HTTP and shipper phases`);
  await measureCopy(2);

  log(`worker SQL alone (RowsAndRollupsWriter.storeBatch, batches of ${args.batchSize}, 2 connections): ${args.records} records`);
  const direct = await directStore(db, args.records, args.batchSize, 2);
  log(`storeBatch: ${Math.round(direct.perSecond)} records/s`);
  await db.truncate();

  // The api authenticates the bench's key as its bootstrap admin key, and no rate limit or backlog
  // bound may throttle the measurement (the bench measures throughput, not the limits).
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    INGEST_JOB_BATCH_SIZE: String(args.batchSize),
    BOOTSTRAP_ADMIN_KEY: args.apiKey,
    RATE_LIMIT_INGEST_PER_WINDOW: '1000000000',
    RATE_LIMIT_QUERY_PER_WINDOW: '1000000000',
    INGEST_MAX_BACKLOG: '1000000',
  };
  const worker = await ServiceProcess.start('worker', env, args.sampleEverySeconds * 1000);
  const api = await ServiceProcess.start('api', env, args.sampleEverySeconds * 1000);
  processes.push(api, worker);

  const cpu = await CpuMeter.create(api, worker, db.pool, REDIS_URL);
  let warmup: ReturnType<typeof microsPerRecord> | null = null;
  if (args.warmupRecords > 0) {
    log(`warm-up (not counted): ${args.warmupRecords} records through the fresh api and worker`);
    const before = cpu.read();
    const posted = await httpIngest(db, api.url, args.apiKey, args.warmupRecords, args.batchSize, args.concurrency);
    warmup = microsPerRecord(cpu.since(before, posted.clientCpuSeconds), posted.records);
    await db.truncate();
  }

  log(`HTTP ingest → stored: ${args.records} records, batches of ${args.batchSize}, ${args.concurrency} in flight`);
  // How many batches (queue jobs) one Postgres write held on average in a phase: the group commit at work.
  const writes = async () => {
    const metrics = await worker.scrape();
    return {
      batches: sampleSum(metrics, 'verilock_ingest_write_batches_sum'),
      writes: sampleSum(metrics, 'verilock_ingest_write_batches_count'),
    };
  };
  const batchesPerWrite = (before: Awaited<ReturnType<typeof writes>>, after: Awaited<ReturnType<typeof writes>>) =>
    round((after.batches - before.batches) / Math.max(1, after.writes - before.writes));
  let writesBefore = await writes();
  let cpuBefore = cpu.read();
  const http = await httpIngest(db, api.url, args.apiKey, args.records, args.batchSize, args.concurrency);
  const httpCpu = cpu.since(cpuBefore, http.clientCpuSeconds);
  const httpBatchesPerWrite = batchesPerWrite(writesBefore, await writes());
  const httpLag = await db.lagPercentiles('stored_at - received_at');
  log(`HTTP: ${Math.round(http.perSecond)} records/s (POSTs from ${http.client})`);
  await db.truncate();

  log(`shipper → BullMQ → stored: ${args.records} records`);
  writesBefore = await writes();
  cpuBefore = cpu.read();
  const shipper = await shipperIngest(db, REDIS_URL, env.QUEUE_PREFIX, args.records, args.batchSize);
  const shipperCpu = cpu.since(cpuBefore);
  const shipperBatchesPerWrite = batchesPerWrite(writesBefore, await writes());
  const shipperLag = await db.lagPercentiles('stored_at - received_at');
  log(`shipper: ${Math.round(shipper.perSecond)} records/s`);
  await db.truncate();
  if (args.appendfsync.length > 0) log(`durable acceptance: HTTP phase again with Redis appendfsync ${args.appendfsync.join(', then ')}`);
  const durability = await durabilityRuns(
    {
      db,
      redisUrl: REDIS_URL,
      api,
      worker,
      apiKey: args.apiKey,
      records: args.records,
      batchSize: args.batchSize,
      concurrency: args.concurrency,
    },
    args.appendfsync,
  );
  await measureCopy(2);
  const copyRates = copies.map((c) => c.perSecond).sort((a, b) => a - b);
  const copy = {
    records: args.records,
    perSecond: (copyRates[1] + copyRates[2]) / 2,
    runs: copies.map((c) => Math.round(c.perSecond)),
    best: copyRates[3],
  };
  log(`COPY: ${copy.runs.join(' / ')} records/s (in order); median ${Math.round(copy.perSecond)}, best ${Math.round(copy.best)}`);

  const soakRate = args.soakRate ?? Math.round(http.perSecond / 2);
  log(`soak: ${soakRate} records/s of simulated traffic for ${args.soakSeconds} s, memory sampled every ${args.sampleEverySeconds} s`);
  const soakStart = Date.now();
  const soak = await simulateTraffic({
    url: api.url,
    apiKey: args.apiKey,
    rate: soakRate,
    durationSeconds: args.soakSeconds,
    batchSize: 500,
    progressEverySeconds: 30,
    onProgress: (s) =>
      log(
        `  ${s.elapsedSeconds.toFixed(0)} s: ${s.shipped} accepted; ` +
          `api RSS ${api.sample()?.rssMiB.toFixed(0)} MiB, worker RSS ${worker.sample()?.rssMiB.toFixed(0)} MiB`,
      ),
  });
  if (soak.dropped + soak.lost + soak.rejected > 0) {
    throw new Error(`the simulator could not deliver everything (${JSON.stringify(soak)}): lower --soak-rate`);
  }
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
    warmup: warmup && { records: args.warmupRecords, cpuMicrosPerRecord: warmup },
    http: {
      ...http,
      ratioToCopy: http.perSecond / copy.perSecond,
      ratioToBestCopy: http.perSecond / copy.best,
      lagMs: httpLag,
      cpu: httpCpu,
      cpuMicrosPerRecord: microsPerRecord(httpCpu, http.records),
      batchesPerWrite: httpBatchesPerWrite,
    },
    shipper: {
      ...shipper,
      ratioToCopy: shipper.perSecond / copy.perSecond,
      ratioToBestCopy: shipper.perSecond / copy.best,
      lagMs: shipperLag,
      cpu: shipperCpu,
      cpuMicrosPerRecord: microsPerRecord(shipperCpu, shipper.records),
      batchesPerWrite: shipperBatchesPerWrite,
    },
    durability,
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
  if (durability.length > 0) console.log(`\n${durabilityTable(durability, args.records)}`);
} finally {
  for (const p of processes) await p.stop();
  // The run's queue (failed jobs, or completed ones kept with JOB_KEEP_COMPLETED) would otherwise stay in Redis for good.
  const queue = new Queue(INGEST_QUEUE, { connection: redisConnection(REDIS_URL, 'producer'), prefix: queuePrefix });
  await queue.obliterate({ force: true }).finally(() => queue.close());
  if (!args.keep) await db.drop();
  else await db.pool.end();
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
