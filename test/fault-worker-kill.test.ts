import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { INGEST_QUEUE } from '#libs/queue';
import { http } from './support/http.js';
import { ensureBuilt } from './support/build.js';
import { WorkerProcess } from './support/child-process.js';
import { assertDerivedCountsExact, waitForDrainedQueue, waitForRowCount } from './support/derived-counts.js';
import { makeRecords } from './support/factories.js';
import { pollUntil } from './support/poll.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const TOTAL = 100_000;
const PER_POST = 5_000;

/** The real worker process, killed with SIGKILL mid-stream and restarted; then shut down with SIGTERM. */
describe('fault: kill -9 the worker while 100,000 records flow', () => {
  // Short locks so the restarted worker reclaims the killed one's jobs within seconds, not 30 s. Default
  // concurrency: the kill lands with many jobs in hand, grouped into shared transactions.
  const env = {
    QUEUE_PREFIX: `fault-kill-${randomUUID().slice(0, 8)}`,
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    INGEST_JOB_BATCH_SIZE: '1000',
    JOB_KEEP_COMPLETED: '1000', // the test counts completed batches
    INGEST_MAX_BACKLOG: '100000',
    JOB_BACKOFF_MS: '100',
  };
  let pipeline: Pipeline;
  let queue: Queue;
  beforeAll(async () => {
    ensureBuilt();
    pipeline = await startPipeline(testConfig(env), { worker: false });
    queue = pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE));
  }, 60_000);
  afterAll(async () => {
    await WorkerProcess.stopAll();
    await pipeline.close();
  });

  async function send(apiKeyId: string, total: number): Promise<string[]> {
    const ids: string[] = [];
    for (let sent = 0; sent < total; sent += PER_POST) {
      const batch = makeRecords(Math.min(PER_POST, total - sent), { apiKeyId });
      await http(pipeline.api.getHttpServer()).post('/v1/logs').send(batch).expect(202);
      ids.push(...batch.map((r) => r.requestId as string));
    }
    return ids;
  }

  it('stores every record exactly once and counts each once after a SIGKILL mid-batch', async () => {
    const apiKeyId = `fault-kill-${randomUUID()}`;
    const started = Date.now();
    let worker = await WorkerProcess.start(env);
    const sending = send(apiKeyId, TOTAL);
    // Kill while batches are being written: some stored, most still to come.
    const storedAtKill = await waitForRowCount(pipeline.db, apiKeyId, 15_000, 60_000);
    let activeAtKill = await queue.getActiveCount();
    for (const deadline = Date.now() + 5_000; activeAtKill === 0 && Date.now() < deadline;) activeAtKill = await queue.getActiveCount();
    await worker.kill9();
    worker = await WorkerProcess.start(env);
    const ids = await sending;
    await waitForRowCount(pipeline.db, apiKeyId, TOTAL, 90_000);
    await waitForDrainedQueue(queue);
    const figures = await assertDerivedCountsExact({ queue, db: pipeline.db, apiKeyId, sentIds: ids });
    const completed = (await queue.getJobs(['completed'], 0, -1)) as Job[];
    const redelivered = completed.filter((j) => j.stalledCounter > 0 || j.attemptsMade > 1).length;
    console.log(
      `[fault kill -9] ` +
        `${JSON.stringify({ ...figures, storedAtKill, activeAtKill, redeliveredJobs: redelivered, elapsedMs: Date.now() - started })}`,
    );
    // The jobs in hand at the kill were redelivered by the stalled check, and counted once.
    expect(redelivered).toBeGreaterThanOrEqual(1);
    await worker.terminate();
  }, 120_000);

  it('on SIGTERM finishes the batch in hand and exits cleanly: nothing left active, nothing lost', async () => {
    const apiKeyId = `fault-term-${randomUUID()}`;
    const before = (await queue.getJobs(['completed'], 0, -1)).length;
    let worker = await WorkerProcess.start(env);
    const ids = await send(apiKeyId, 20_000);
    await waitForRowCount(pipeline.db, apiKeyId, 2_000, 30_000);
    const inHand = await pollUntil(
      () => queue.getJobs(['active']),
      (jobs) => jobs.length > 0,
      10_000,
      'a batch in hand',
    );
    const exit = await worker.terminate();
    // Nest runs the shutdown hooks, then re-raises the signal: a clean exit is "killed by SIGTERM" after the hooks.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(worker.log).toContain('ingest worker closed: no new jobs taken, batches in hand finished');
    expect(worker.log).not.toMatch(/ERROR/);
    // The batches it held at SIGTERM were finished by it, not left for another worker.
    for (const job of inHand) expect(await queue.getJobState(job.id!)).toBe('completed');
    console.log(`[fault SIGTERM] ${JSON.stringify({ sent: ids.length, batchesInHandAtSigterm: inHand.length })}`);
    // A worker that abandoned its job would leave it active (locked) until the lock expired.
    expect(await queue.getActiveCount()).toBe(0);
    worker = await WorkerProcess.start(env);
    await waitForRowCount(pipeline.db, apiKeyId, ids.length, 60_000);
    await waitForDrainedQueue(queue);
    await worker.terminate();
    const { rows } = await pipeline.db.query<{ n: string }>('SELECT count(*) AS n FROM request_logs WHERE api_key_id = $1', [apiKeyId]);
    expect(Number(rows[0].n)).toBe(ids.length);
    expect((await queue.getJobs(['completed'], 0, -1)).length - before).toBe(ids.length / 1000);
  }, 90_000);
});
