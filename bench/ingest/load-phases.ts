import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AccessLogRecord } from '#libs/access-log';
import { LogShipper, queueSink } from '#libs/log-shipper';
import { RequestLogPartitions, RowsAndRollupsWriter } from '#libs/store';
import { TrafficGenerator } from '#libs/traffic-model';
import type { BenchDatabase } from './bench-database.js';
import { cpuSeconds as processCpuSeconds } from '../cpu-seconds.mjs';
import { storedRecords } from './stored-records.js';

export interface Throughput {
  records: number;
  seconds: number;
  perSecond: number;
}

/**
 * HTTP ingest end to end: `count` records POSTed as JSON batches (`concurrency` in flight) to the
 * api; the clock runs from the first POST until the worker has stored the last row. Bodies are
 * serialised before the clock starts, so the figure is the service's, not the load generator's.
 * The POSTs come from wrk (a C load generator in its own process; bench/ingest/wrk-post-bodies.lua)
 * when it is installed, else from fetch in this process, which costs the two shared cores ~3× more.
 */
export async function httpIngest(
  db: BenchDatabase,
  apiUrl: string,
  apiKey: string,
  count: number,
  batchSize: number,
  concurrency: number,
): Promise<Throughput & { client: 'wrk' | 'fetch'; clientCpuSeconds: number; acceptedPerSecond: number }> {
  const generator = new TrafficGenerator({ seed: 2 });
  const now = Date.now();
  const bodies: string[] = [];
  for (let i = 0; i < count; i += batchSize) {
    const n = Math.min(batchSize, count - i);
    bodies.push(JSON.stringify(generator.batch(n, new Date(now - 60_000 + (60_000 * i) / count), (60_000 * n) / count)));
  }
  const client = existsSync(WRK) ? 'wrk' : 'fetch';
  const started = Date.now();
  const ownCpu = process.cpuUsage();
  const wrkCpuSeconds = await (client === 'wrk'
    ? postWithWrk(apiUrl, apiKey, bodies, concurrency)
    : postWithFetch(apiUrl, apiKey, bodies, concurrency).then(() => 0));
  const { user, system } = process.cpuUsage(ownCpu);
  // Every POST answered 202: the records are in Redis (where durable acceptance spends its fsyncs).
  const acceptedSeconds = (Date.now() - started) / 1000;
  const lastStored = await db.waitForRows(count);
  const seconds = (lastStored - started) / 1000;
  // The client's CPU while posting (wrk's, or this process's when fetch posts), not the bodies' preparation.
  return {
    records: count,
    seconds,
    perSecond: count / seconds,
    acceptedPerSecond: count / acceptedSeconds,
    client,
    clientCpuSeconds: client === 'wrk' ? wrkCpuSeconds : (user + system) / 1e6,
  };
}

const WRK = '/usr/bin/wrk';

/** Posts every body once from wrk; resolves with the CPU seconds wrk used. */
async function postWithWrk(apiUrl: string, apiKey: string, bodies: string[], concurrency: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'verilock-bench-bodies-'));
  try {
    bodies.forEach((body, i) => writeFileSync(join(dir, `${i}.json`), body));
    const script = join(import.meta.dirname, '../../../bench/ingest/wrk-post-bodies.lua');
    const wrk = spawn(WRK, ['-t1', `-c${Math.min(concurrency, bodies.length)}`, '-d600s', '--timeout', '60s', '-s', script, apiUrl], {
      env: { ...process.env, BENCH_BODY_DIR: dir, BENCH_BODY_COUNT: String(bodies.length), BENCH_API_KEY: apiKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const done = `posted ${bodies.length} failed 0`;
    let output = '';
    return await new Promise<number>((resolve, reject) => {
      wrk.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (!output.includes('posted ')) return;
        const cpuSeconds = processCpuSeconds(wrk.pid!);
        wrk.kill();
        if (output.includes(done)) resolve(cpuSeconds);
        else reject(new Error(`wrk did not post every body once: ${output}`));
      });
      wrk.on('exit', () => reject(new Error(`wrk ended before every POST was answered: ${output}`)));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postWithFetch(apiUrl: string, apiKey: string, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const post = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const res = await fetch(`${apiUrl}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 202) break;
        if (res.status !== 503 && res.status !== 429) throw new Error(`POST /v1/logs answered ${res.status}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, post));
}

/**
 * The shipper path: records handed to LogShipper.record() (as the middleware does), enqueued as
 * BullMQ jobs straight to the worker; the clock stops when the last row is stored.
 */
export async function shipperIngest(
  db: BenchDatabase,
  redisUrl: string,
  prefix: string,
  count: number,
  batchSize: number,
): Promise<Throughput> {
  const generator = new TrafficGenerator({ seed: 3 });
  const now = Date.now();
  const records = generator.batch(count, new Date(now - 60_000), 60_000);
  const shipper = new LogShipper({ sink: queueSink({ redisUrl, prefix }), batchSize, maxBufferedRecords: count, flushIntervalMs: 100 });
  const started = Date.now();
  for (let i = 0; i < records.length; i++) {
    shipper.record(records[i]);
    // Yield now and then, as a server would between requests, so flushes run while records arrive.
    if (i % batchSize === batchSize - 1) await new Promise((r) => setImmediate(r));
  }
  await shipper.close();
  if (shipper.stats.shipped !== count)
    throw new Error(`shipper delivered ${shipper.stats.shipped} of ${count}: ${JSON.stringify(shipper.stats)}`);
  const lastStored = await db.waitForRows(count);
  const seconds = (lastStored - started) / 1000;
  return { records: count, seconds, perSecond: count / seconds };
}

/**
 * The worker's own write, without HTTP or the queue: RowsAndRollupsWriter.storeBatch (rows and
 * rollups), exactly as the worker calls it (new batches: COPY + the rollup upserts in one
 * transaction) on `connections` connections. Separates what the SQL costs from what the api, Redis
 * and BullMQ add.
 */
export async function directStore(db: BenchDatabase, count: number, batchSize: number, connections: number): Promise<Throughput> {
  const pool = new pg.Pool({ connectionString: db.url, max: connections });
  const repository = new RowsAndRollupsWriter(pool, new RequestLogPartitions(pool));
  const batches: AccessLogRecord[][] = [[]];
  for (const record of storedRecords(count, 4)) {
    if (batches[batches.length - 1].length === batchSize) batches.push([]);
    batches[batches.length - 1].push(record);
  }
  const started = Date.now();
  let next = 0;
  const receivedAt = new Date().toISOString();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < batches.length) await repository.storeBatch(batches[next++], receivedAt);
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await pool.end();
  return { records: count, seconds, perSecond: count / seconds };
}
