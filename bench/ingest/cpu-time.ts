import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces): index 0 is field 3, `state`. */
function statFields(pid: number, file = `/proc/${pid}/stat`): string[] {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds in a stat file's fields (fields 14 and 15). */
function userSystemSeconds(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** User + system CPU seconds a process has used so far, all its threads. */
export function processCpuSeconds(pid: number): number {
  return userSystemSeconds(statFields(pid));
}

/** User + system CPU seconds of a process's main thread (its task with the process's own id), without its other threads. */
export function mainThreadCpuSeconds(pid: number): number {
  return userSystemSeconds(statFields(pid, `/proc/${pid}/task/${pid}/stat`));
}

/**
 * CPU seconds used so far by a process and its children: its own user + system time, the time of
 * children that exited and were waited for (fields 16 and 17), and that of children still running
 * (every process whose parent it is). For Postgres, the postmaster's pid gives every backend and
 * background process of that one cluster — not the other clusters a shared machine runs, which
 * summing all processes named `postgres` would count. A child that exits mid-phase moves its seconds
 * from the running ones to the waited-for ones, so readings stay comparable across a phase.
 */
export function processTreeCpuSeconds(pid: number): number {
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
