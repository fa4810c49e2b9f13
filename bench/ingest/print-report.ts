// The report is the JSON object main.ts just built and saved; printing it needs no second type of its shape.
/* eslint-disable @typescript-eslint/no-explicit-any -- see above */

/** Prints a run: CPU µs per record per process first (the primary figure), then throughput, lag and memory. */
export function printReport(r: { [k: string]: any }): void {
  const rate = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const s = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
  const lag = (l: any) => `p50 ${l.p50} / p95 ${l.p95} / p99 ${l.p99} / max ${l.max} ms`;
  const us = (p: any, api = true) =>
    `**${api ? p.apiSeconds : '—'}** / **${p.workerSeconds}** / ${p.postgresSeconds} / ${p.redisSeconds} / ${p.clientSeconds} | ` +
    `**${api ? p.apiAndWorker : p.workerSeconds}**`;
  const seconds = (c: any, api = true) =>
    `${api ? s(c.apiSeconds) : '—'} / ${s(c.workerSeconds)} / ${s(c.postgresSeconds)} / ${s(c.redisSeconds)} / ${s(c.clientSeconds)}`;
  console.log(`
CPU µs per record, by process (the primary figure: far less moved by the neighbours' load than records/s)
| phase | µs/record api / worker / Postgres / Redis / load generator (or shipper) | api + worker | records/s | vs COPY median / best |
|---|---|---|---|---|
| HTTP POST /v1/logs (from ${r.http.client}) → stored | ${us(r.http.cpuMicrosPerRecord)} | ${rate(r.http.perSecond)} | \
${pct(r.http.ratioToCopy)} / ${pct(r.http.ratioToBestCopy)} |
| shipper → stored | ${us(r.shipper.cpuMicrosPerRecord, false)} | ${rate(r.shipper.perSecond)} | \
${pct(r.shipper.ratioToCopy)} / ${pct(r.shipper.ratioToBestCopy)} |
Of which the main thread's (the rest: V8's GC and compiler threads, libuv's pool): HTTP api \
${r.http.cpuMicrosPerRecord.apiMainSeconds} / worker ${r.http.cpuMicrosPerRecord.workerMainSeconds}, shipper worker \
${r.shipper.cpuMicrosPerRecord.workerMainSeconds} µs per record
${warmupLine(r.warmup)}

| measure | records | records/s | vs COPY (median / best) | batches per write | lag (stored − accepted) | \
CPU s api / worker / Postgres / Redis / load generator (or shipper) |
|---|---|---|---|---|---|---|
| COPY into request_logs (ceiling; runs ${r.copy.runs.join(', ')}) | ${r.copy.records} | ${rate(r.copy.perSecond)} | \
100% / ${pct(r.copy.perSecond / r.copy.best)} | | | |
| storeBatch alone (the worker's SQL, 2 connections) | ${r.direct.records} | ${rate(r.direct.perSecond)} | \
${pct(r.direct.ratioToCopy)} / ${pct(r.direct.perSecond / r.copy.best)} | 1 | | |
| HTTP POST /v1/logs (from ${r.http.client}) → BullMQ → stored | ${r.http.records} | ${rate(r.http.perSecond)} | \
${pct(r.http.ratioToCopy)} / ${pct(r.http.ratioToBestCopy)} | ${r.http.batchesPerWrite} | ${lag(r.http.lagMs)} | ${seconds(r.http.cpu)} |
| shipper → BullMQ → stored | ${r.shipper.records} | ${rate(r.shipper.perSecond)} | \
${pct(r.shipper.ratioToCopy)} / ${pct(r.shipper.ratioToBestCopy)} | ${r.shipper.batchesPerWrite} | ${lag(r.shipper.lagMs)} | \
${seconds(r.shipper.cpu, false)} |

soak: ${r.soak.rate} records/s for ${r.soak.seconds} s (${r.soak.stored} records), \
lag sent → stored ${lag(r.soak.lagMs)}, accepted → stored ${lag(r.soak.pipelineLagMs)}
| process | peak RSS (VmHWM, whole run) | RSS after warm-up → at the end | growth | RSS timeline (MiB) |
|---|---|---|---|---|
${memoryRow('api', r.soak.api)}
${memoryRow('worker', r.soak.worker)}
load average before ${r.load.before}, after ${r.load.after} (2 cores)`);
}

/** The warm-up's own figures, so what the cold processes spend stays visible (none with --warmup-records 0). */
function warmupLine(w: { records: number; cpuMicrosPerRecord: { [k: string]: number } } | null): string {
  if (!w) return 'No warm-up (--warmup-records 0): the HTTP phase ran on cold processes, its JIT compiles and heap growth included.';
  const c = w.cpuMicrosPerRecord;
  return (
    `Warm-up before the HTTP phase, not counted above: ${w.records} records, api ${c.apiSeconds} / worker ${c.workerSeconds} ` +
    `µs per record (cold processes: JIT compiles on V8's helper threads, heap growth)`
  );
}

/** One process's memory row; a soak too short for a trend (fewer than four samples) says so instead of a growth figure. */
function memoryRow(
  name: string,
  m: { peakMiB: number; earlyMiB: number | null; lateMiB: number | null; growthPercent: number | null; samples: number; timeline: string },
): string {
  const trend =
    m.growthPercent === null ? `too short to tell (${m.samples} samples) | n/a` : `${m.earlyMiB} → ${m.lateMiB} MiB | ${m.growthPercent}%`;
  return `| ${name} | ${m.peakMiB} MiB | ${trend} | ${m.timeline} |`;
}
