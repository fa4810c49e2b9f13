// The ingest queue's own CPU per record, with no work on either side (`npm run bench:queue-floor`):
// what any api and worker built on BullMQ and JSON jobs spend before doing anything of their own.
//
// Producer (this process): the ingest queue's job encoding (serialiseJob: BullMQ's JSON.stringify of the
// rows, the Buffer) and one MULTI per job (addAllOrNothing), as the api and the shipper enqueue. Consumer
// (a child process): the ingest Worker (createIngestWorker, the worker's default tuning) whose processor
// only reads job.data (BullMQ parses each job to hand it over), as the worker takes and completes jobs.
// Jobs of 1000 validated simulated records, as the api queues them. CPU µs per record of each process
// and of Redis, read from /proc/<pid>/stat; best and median of the rounds. bench:ingest's api and worker
// figures minus these is their own work (HTTP, parsing, validation, redaction, COPY, rollups, metrics).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { validateRecord } from '#libs/access-log';
import { loadConfig } from '#libs/config';
import { createIngestQueue, createIngestWorker, ingestJobData, QUEUE_CONFIG } from '#libs/queue';
import { TrafficGenerator } from '#libs/traffic-model';
import { cpuSeconds, redisServerPid } from '../cpu-seconds.mjs';

const { serialiseJob, addAllOrNothing } = await import(new URL('../../dist/libs/queue/src/all-or-nothing.js', import.meta.url).href);
const { WORKER_CONFIG } = await import(new URL('../../dist/libs/log-writer/src/worker.config.js', import.meta.url).href);

const JOBS = Number(process.env.FLOOR_JOBS ?? 100);
const ROUNDS = Number(process.env.FLOOR_ROUNDS ?? 5);
const RECORDS_PER_JOB = 1000;
const settings = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix: `bench-queue-floor-${process.argv[2] === 'consume' ? process.ppid : process.pid}`,
  ...loadConfig([QUEUE_CONFIG], {}).queue,
};

if (process.argv[2] === 'consume') await consume();
else await produce();

/** The child: takes JOBS jobs per round, reporting its CPU seconds over each round to the parent. */
async function consume() {
  const tuning = loadConfig([WORKER_CONFIG], {}).worker;
  let taken = 0;
  let rows = 0;
  let roundStart = cpuSeconds(process.pid);
  const worker = createIngestWorker(
    settings,
    async (job) => void (rows += job.data.rows.length),
    tuning,
    (err) => console.error(err),
  );
  worker.on('completed', () => {
    if (++taken % JOBS !== 0) return;
    process.send({ cpuSeconds: cpuSeconds(process.pid) - roundStart, rows });
    roundStart = cpuSeconds(process.pid);
    rows = 0;
  });
  process.on('message', async () => {
    await worker.close();
    process.exit(0);
  });
}

async function produce() {
  const queue = createIngestQueue(settings, 'producer');
  const redisPid = await redisServerPid(settings.redisUrl);
  const generator = new TrafficGenerator({ seed: 5 });
  const now = new Date();
  const jobs = Array.from({ length: 20 }, (_, i) =>
    ingestJobData(
      generator.batch(RECORDS_PER_JOB, new Date(now.getTime() - 60_000 + i * 1000), 1000).map((r) => {
        const result = validateRecord(r, { maxFutureSkewSeconds: 300, maxAgeDays: 7 }, now);
        if (!result.ok) throw new Error(`invalid simulated record: ${JSON.stringify(result.details)}`);
        return result.record;
      }),
      now.toISOString(),
      'http',
      null,
    ),
  );
  const jobKiB = Math.round(serialiseJob(queue, jobs[0]).jobData.data.length / 1024);
  console.log(`[queue-floor] ${ROUNDS} rounds of ${JOBS} jobs × ${RECORDS_PER_JOB} records (a job ~${jobKiB} KiB)`);
  const consumer = fork(new URL(import.meta.url).pathname, ['consume'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rounds = { producer: [], consumer: [], redis: [] };
  for (let round = 0; round <= ROUNDS; round++) {
    const redisBefore = cpuSeconds(redisPid);
    const before = cpuSeconds(process.pid);
    for (let i = 0; i < JOBS; i++) await addAllOrNothing(queue, [serialiseJob(queue, jobs[i % jobs.length])]);
    const produced = cpuSeconds(process.pid) - before;
    const [{ cpuSeconds: consumed, rows }] = await once(consumer, 'message');
    if (rows !== JOBS * RECORDS_PER_JOB) throw new Error(`the consumer read ${rows} rows of ${JOBS * RECORDS_PER_JOB}`);
    if (round === 0) continue; // warm-up: JIT, connections
    const perRecord = (s) => (s * 1e6) / (JOBS * RECORDS_PER_JOB);
    rounds.producer.push(perRecord(produced));
    rounds.consumer.push(perRecord(consumed));
    rounds.redis.push(perRecord(cpuSeconds(redisPid) - redisBefore));
  }
  consumer.send('stop');
  await once(consumer, 'exit');
  await queue.obliterate({ force: true });
  await queue.close();
  console.log('| process | µs of CPU per record: best / median |\n|---|---|');
  for (const [name, values] of Object.entries(rounds)) {
    values.sort((a, b) => a - b);
    console.log(`| ${name} | ${values[0].toFixed(1)} / ${values[Math.floor(values.length / 2)].toFixed(1)} |`);
  }
}
