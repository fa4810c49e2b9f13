import { readdirSync, readFileSync } from 'node:fs';

/** User + system CPU seconds a process has used so far (fields 14 and 15 of /proc/<pid>/stat). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Counted after the ")" that ends the command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds used so far by every running process with this command name (e.g. all Postgres
 * backends and background processes, `postgres`; Redis, `redis-server`). A process that exited in
 * between takes its seconds with it, so compare readings across a phase whose processes stay up.
 */
export function commandCpuSeconds(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) total += processCpuSeconds(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return total;
}
