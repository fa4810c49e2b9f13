// `npm run bench:file-source`: records/s and CPU per record through the file source (`npm run ship`),
// (1) with a sink that only counts — reading, splitting, parsing, the nginx preset and validation alone —
// and (2) through the HTTP sink to the built api, with a worker storing: acknowledged (202) and stored.
// Runs once on a generated nginx log (BENCH_RECORDS lines, 200,000 by default) in a temporary directory;
// rows land in DATABASE_URL's database under ids `bench_fs_<run>_…` and a queue prefix of their own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FileSource } from '#libs/file-source';
import { selectFormat } from '#libs/log-formats';
import { httpSink, type LogSink } from '#libs/log-shipper';
import { ServiceProcess } from './service-processes.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const run = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'bench-file-source-'));
const log = join(dir, 'api.json');
const STATUSES = ['200', '200', '200', '201', '204', '404', '409', '422', '429', '503'];

function writeLog(prefix: string): void {
  const time = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const status = STATUSES[i % STATUSES.length];
    const limited = status === '429' || status === '503';
    lines.push(
      JSON.stringify({
        request_id: `${prefix}_${i}`,
        time,
        method: i % 3 === 0 ? 'POST' : 'GET',
        uri: `/v1/sessions/ses_${(i % 5000).toString(36).padStart(6, '0')}1?expand=steps`,
        status,
        request_time: '0.012',
        upstream_response_time: '0.010',
        retry_after: limited ? '30' : '',
        error_code: status >= '400' ? 'some_error' : '',
        api_key_id: `key_live_${i % 20}`,
        remote_addr: '198.51.100.7',
        user_agent: 'acme-sdk/2.1',
      }),
    );
  }
  writeFileSync(log, `${lines.join('\n')}\n`);
}

/** Runs a source over the whole file; wall seconds and this process's CPU seconds until every line is acknowledged. */
async function timeSource(sink: LogSink, checkpoint: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const source = new FileSource({
    path: log,
    checkpointPath: join(dir, checkpoint),
    sink,
    mapper: selectFormat({ format: 'nginx' }).mapper,
    log: () => undefined,
  });
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  const done = setInterval(() => source.stats.shipped + source.stats.rejected >= RECORDS && source.stop(), 20);
  await source.run();
  clearInterval(done);
  const used = process.cpuUsage(cpu);
  if (source.stats.shipped !== RECORDS) throw new Error(`shipped ${source.stats.shipped} of ${RECORDS}: ${JSON.stringify(source.stats)}`);
  return { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const perRecord = (cpuSeconds: number) => `${((cpuSeconds / RECORDS) * 1e6).toFixed(1)} µs`;
const figure = (what: string, seconds: number, cpuSeconds: number) =>
  console.log(`${what}: ${Math.round(RECORDS / seconds).toLocaleString('en')} records/s, ${perRecord(cpuSeconds)} CPU/record (shipper)`);

try {
  writeLog(`bench_fs_${run}_null`);
  console.log(`${RECORDS.toLocaleString('en')} nginx lines, ${(statSync(log).size / 1024 / 1024).toFixed(1)} MiB`);
  let counted = 0;
  const nullRun = await timeSource(
    { send: async (records) => void (counted += records.length), close: async () => undefined },
    'null.json',
  );
  figure('tail + map + validate (counting sink)', nullRun.seconds, nullRun.cpuSeconds);

  writeLog(`bench_fs_${run}_http`);
  const key = `vlk_bench_${randomUUID().replaceAll('-', '')}`;
  const env = { BOOTSTRAP_ADMIN_KEY: key, QUEUE_PREFIX: `bench-fs-${run}`, RATE_LIMIT_INGEST_PER_WINDOW: '1000000000' };
  const [api, worker] = [await ServiceProcess.start('api', env, 1000), await ServiceProcess.start('worker', env, 1000)];
  const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  try {
    const before = { api: api.cpuSeconds(), worker: worker.cpuSeconds() };
    const start = performance.now();
    const httpRun = await timeSource(httpSink({ url: api.url, apiKey: key }), 'http.json');
    figure('through the HTTP sink, acknowledged (202)', httpRun.seconds, httpRun.cpuSeconds);
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM request_logs WHERE request_id LIKE $1', [
        `bench_fs_${run}_http_%`,
      ]);
      if (rows[0].n >= RECORDS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const stored = (performance.now() - start) / 1000;
    console.log(
      `stored: ${Math.round(RECORDS / stored).toLocaleString('en')} records/s end to end; ` +
        `api ${perRecord(api.cpuSeconds() - before.api)}, worker ${perRecord(worker.cpuSeconds() - before.worker)} CPU/record`,
    );
  } finally {
    await db.end();
    await api.stop();
    await worker.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
