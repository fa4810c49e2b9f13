import { readFileSync } from 'node:fs';

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
