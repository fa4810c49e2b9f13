import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { mainThreadCpuSeconds, processTreeCpuSeconds, redisServerPid } from '../cpu-seconds.mjs';
import type { ServiceProcess } from './service-processes.js';

/** CPU seconds each process used in one phase; `client` is wrk's, or this process's (the shipper, or fetch). */
export interface PhaseCpu {
  apiSeconds: number;
  workerSeconds: number;
  /** Of those, the main thread's (JavaScript, and GC's work on it); the rest is V8's helper threads and libuv's pool. */
  apiMainSeconds: number;
  workerMainSeconds: number;
  /** The bench's Postgres cluster: the postmaster and every backend and background process of it. */
  postgresSeconds: number;
  redisSeconds: number;
  clientSeconds: number;
}

type Reading = Omit<PhaseCpu, 'clientSeconds'> & { ownSeconds: number };

/**
 * Where the two cores went in a phase, process by process: the api and the worker (each with its
 * children), the Postgres cluster the bench writes to (found from a backend's parent, so the other
 * clusters of a shared machine are not counted) and the Redis server (its own process_id).
 */
export class CpuMeter {
  private constructor(
    private readonly api: ServiceProcess,
    private readonly worker: ServiceProcess,
    private readonly postmasterPid: number,
    private readonly redisPid: number,
  ) {}

  static async create(api: ServiceProcess, worker: ServiceProcess, pool: pg.Pool, redisUrl: string): Promise<CpuMeter> {
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return new CpuMeter(api, worker, parentPid(rows[0].pid), await redisServerPid(redisUrl));
  }

  read(): Reading {
    const own = process.cpuUsage();
    return {
      apiSeconds: processTreeCpuSeconds(this.api.pid),
      workerSeconds: processTreeCpuSeconds(this.worker.pid),
      apiMainSeconds: mainThreadCpuSeconds(this.api.pid),
      workerMainSeconds: mainThreadCpuSeconds(this.worker.pid),
      postgresSeconds: processTreeCpuSeconds(this.postmasterPid),
      redisSeconds: processTreeCpuSeconds(this.redisPid),
      ownSeconds: (own.user + own.system) / 1e6,
    };
  }

  /** The seconds used since `before`; the client's are this process's unless given (wrk's own). */
  since(before: Reading, clientSeconds?: number): PhaseCpu {
    const now = this.read();
    const used = (k: keyof Reading) => now[k] - before[k];
    return {
      apiSeconds: used('apiSeconds'),
      workerSeconds: used('workerSeconds'),
      apiMainSeconds: used('apiMainSeconds'),
      workerMainSeconds: used('workerMainSeconds'),
      postgresSeconds: used('postgresSeconds'),
      redisSeconds: used('redisSeconds'),
      clientSeconds: clientSeconds ?? used('ownSeconds'),
    };
  }
}

/** CPU µs per record of each process: the bench's primary figure (records/s moves with the neighbours' load far more). */
export function microsPerRecord(cpu: PhaseCpu, records: number): Record<keyof PhaseCpu | 'apiAndWorker', number> {
  const us = (seconds: number) => Math.round((seconds * 1e7) / records) / 10;
  return {
    apiSeconds: us(cpu.apiSeconds),
    workerSeconds: us(cpu.workerSeconds),
    apiMainSeconds: us(cpu.apiMainSeconds),
    workerMainSeconds: us(cpu.workerMainSeconds),
    postgresSeconds: us(cpu.postgresSeconds),
    redisSeconds: us(cpu.redisSeconds),
    clientSeconds: us(cpu.clientSeconds),
    apiAndWorker: us(cpu.apiSeconds + cpu.workerSeconds),
  };
}

function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
