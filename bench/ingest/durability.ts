import { Redis } from 'ioredis';
import type { BenchDatabase } from './bench-database.js';
import { cpuSeconds as processCpuSeconds, serverPidOf } from '../cpu-seconds.mjs';
import { httpIngest } from './load-phases.js';
import type { ServiceProcess } from './service-processes.js';

/** Redis's `appendfsync`: when the append-only file is fsync'ed (`always`: before every reply). */
export type AppendFsync = 'always' | 'everysec' | 'no';

export interface DurabilityRun {
  appendfsync: AppendFsync;
  /** Records/s until every POST was answered 202 (in Redis), and until every record was stored. */
  acceptedPerSecond: number;
  perSecond: number;
  /** Stored − accepted, over the run's records. */
  lagMs: Record<'p50' | 'p95' | 'p99' | 'max', number>;
  /**
   * CPU seconds of each process over the run; `redis` is the bench's own Redis (by its pid). Postgres
   * is left out: on a shared machine `postgres` processes of other clusters come and go.
   */
  cpu: { api: number; worker: number; redis: number };
}

/**
 * What durable acceptance costs: the HTTP phase again under each `appendfsync` setting, switched on
 * the running Redis with CONFIG SET (the api, the worker and the data stay the same). Settings
 * alternate in the order given, so the machine's neighbours weigh on each alike; Redis gets its
 * setting back at the end.
 */
export async function durabilityRuns(
  options: {
    db: BenchDatabase;
    redisUrl: string;
    api: ServiceProcess;
    worker: ServiceProcess;
    apiKey: string;
    records: number;
    batchSize: number;
    concurrency: number;
  },
  settings: AppendFsync[],
): Promise<DurabilityRun[]> {
  const redis = new Redis(options.redisUrl);
  try {
    const [, original] = (await redis.config('GET', 'appendfsync')) as [string, AppendFsync];
    const redisPid = await serverPidOf(redis);
    const cpu = () => ({
      api: options.api.cpuSeconds(),
      worker: options.worker.cpuSeconds(),
      redis: processCpuSeconds(redisPid),
    });
    const runs: DurabilityRun[] = [];
    try {
      for (const appendfsync of settings) {
        await redis.config('SET', 'appendfsync', appendfsync);
        const before = cpu();
        const run = await httpIngest(options.db, options.api.url, options.apiKey, options.records, options.batchSize, options.concurrency);
        const after = cpu();
        const used = (k: keyof typeof after) => Math.round((after[k] - before[k]) * 10) / 10;
        runs.push({
          appendfsync,
          acceptedPerSecond: run.acceptedPerSecond,
          perSecond: run.perSecond,
          lagMs: await options.db.lagPercentiles('stored_at - received_at'),
          cpu: { api: used('api'), worker: used('worker'), redis: used('redis') },
        });
        await options.db.truncate();
      }
    } finally {
      await redis.config('SET', 'appendfsync', original);
    }
    return runs;
  } finally {
    redis.disconnect();
  }
}

/** The runs as a Markdown table. */
export function durabilityTable(runs: DurabilityRun[], records: number): string {
  const rate = (x: number) => Math.round(x).toLocaleString('en-US');
  const rows = runs.map(
    (r) =>
      `| ${r.appendfsync} | ${rate(r.acceptedPerSecond)} | ${rate(r.perSecond)} | ` +
      `p50 ${r.lagMs.p50} / p99 ${r.lagMs.p99} ms | ${r.cpu.api} / ${r.cpu.worker} / ${r.cpu.redis} |`,
  );
  return [
    `durable acceptance: HTTP POST /v1/logs → stored, ${records} records per run, Redis appendfsync switched between runs`,
    '| appendfsync | records/s accepted (all 202s) | records/s stored | lag (stored − accepted) | CPU s api / worker / Redis |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
