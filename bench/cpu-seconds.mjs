import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

/**
 * A process's CPU seconds so far, user + system (fields 14 and 15 of /proc/<pid>/stat, read after the
 * command name, which may itself contain spaces). CPU per request or per record moves far less with the
 * machine's load than latency or throughput do: the figure to compare between runs on a shared machine.
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The pid of the Redis server behind `url` (its INFO `process_id`), whose CPU a bench reads with cpuSeconds. */
export async function redisServerPid(url) {
  const redis = new Redis(url);
  try {
    return Number(/process_id:(\d+)/.exec(await redis.info('server'))[1]);
  } finally {
    redis.disconnect();
  }
}
