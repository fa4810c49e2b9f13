// The one reader of CPU time for every bench, the .mjs scripts and the compiled TypeScript of
// bench/ingest alike (allowJs: bench/tsconfig.json compiles this file into dist/ beside them).
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

const TICKS_PER_SECOND = 100;

/**
 * Fields of a /proc stat file after the command name (which may itself contain spaces): index 0 is
 * field 3, `state`; user and system time (fields 14 and 15) are indexes 11 and 12.
 * @param {number} pid
 * @param {string} [file]
 * @returns {string[]}
 */
function statFields(pid, file = `/proc/${pid}/stat`) {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** @param {string[]} fields */
function userSystemSeconds(fields) {
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * A process's CPU seconds so far, user + system, all its threads. CPU per request or per record moves
 * far less with the machine's load than latency or throughput do: the figure to compare between runs
 * on a shared machine.
 * @param {number} pid
 * @returns {number}
 */
export function cpuSeconds(pid) {
  return userSystemSeconds(statFields(pid));
}

/**
 * User + system CPU seconds of a process's main thread (its task with the process's own id), without
 * its other threads.
 * @param {number} pid
 * @returns {number}
 */
export function mainThreadCpuSeconds(pid) {
  return userSystemSeconds(statFields(pid, `/proc/${pid}/task/${pid}/stat`));
}

/**
 * CPU seconds used so far by a process and its children: its own user + system time, the time of
 * children that exited and were waited for (fields 16 and 17), and that of children still running
 * (every process whose parent it is). For Postgres, the postmaster's pid gives every backend and
 * background process of that one cluster — not the other clusters a shared machine runs, which
 * summing all processes named `postgres` would count. A child that exits mid-phase moves its seconds
 * from the running ones to the waited-for ones, so readings stay comparable across a phase.
 * @param {number} pid
 * @returns {number}
 */
export function processTreeCpuSeconds(pid) {
  const own = statFields(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while being read.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * The pid of the Redis server a connected client talks to (its INFO `process_id`), whose CPU a bench
 * reads with cpuSeconds.
 * @param {import('ioredis').Redis} redis
 * @returns {Promise<number>}
 */
export async function serverPidOf(redis) {
  const pid = /process_id:(\d+)/.exec(await redis.info('server'))?.[1];
  if (pid === undefined) throw new Error('Redis INFO server has no process_id');
  return Number(pid);
}

/**
 * serverPidOf the Redis server behind `url`, over a connection of its own.
 * @param {string} url
 * @returns {Promise<number>}
 */
export async function redisServerPid(url) {
  const redis = new Redis(url);
  try {
    return await serverPidOf(redis);
  } finally {
    redis.disconnect();
  }
}
