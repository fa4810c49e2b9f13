import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { INGEST_QUEUE, type IngestJobData, jobRecordCount } from '#libs/queue';
import { waitForDrainedQueue } from './support/derived-counts.js';
import { makeRecords } from './support/factories.js';
import { http } from './support/http.js';
import { rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { DisposableRedis, freePort } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

const MB = 1024 * 1024;

/** Redis as scripts/services.sh starts it (for `npm run up` and `npm test`), in a state dir of its own. */
async function servicesRedisConfig(extraEnv: Record<string, string>): Promise<Record<string, string>> {
  const state = mkdtempSync(join(tmpdir(), 'verilock-services-'));
  const port = await freePort();
  // DATABASE_URL set: the script leaves Postgres alone; REDIS_URL empty: it starts its own Redis.
  const env = {
    ...process.env,
    DATABASE_URL: 'postgresql://unused',
    REDIS_URL: '',
    VERILOCK_STATE_DIR: state,
    VERILOCK_REDIS_PORT: String(port),
    ...extraEnv,
  };
  try {
    execFileSync('bash', ['scripts/services.sh', 'start'], { env, stdio: 'pipe' });
    const redis = new Redis(port, '127.0.0.1');
    try {
      const settings = ['maxmemory', 'maxmemory-policy', 'appendonly', 'appendfsync'];
      return Object.fromEntries(
        await Promise.all(settings.map(async (name) => [name, ((await redis.config('GET', name)) as string[])[1]])),
      );
    } finally {
      redis.disconnect();
    }
  } finally {
    execFileSync('bash', ['scripts/services.sh', 'stop'], { env, stdio: 'pipe' });
    rmSync(state, { recursive: true, force: true });
  }
}

describe('Redis memory ceiling and durable acceptance', () => {
  it(
    'npm run up / npm test start Redis with maxmemory (a quarter of RAM, or VERILOCK_REDIS_MAXMEMORY), ' + 'noeviction, appendfsync always',
    async () => {
      const ramKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
      expect(await servicesRedisConfig({})).toEqual({
        maxmemory: String(Math.floor(ramKiB / 4 / 1024) * MB),
        'maxmemory-policy': 'noeviction',
        appendonly: 'yes',
        appendfsync: 'always',
      });
      expect((await servicesRedisConfig({ VERILOCK_REDIS_MAXMEMORY: '123mb' })).maxmemory).toBe(String(123 * MB));
    },
  );

  it(
    'at maxmemory Redis answers OOM: ingest answers 503 + Retry-After, enqueues nothing of that batch, ' +
      'and stores every accepted record once the ceiling is raised',
    async () => {
      const redis = await DisposableRedis.start({ maxmemory: '4mb' });
      const config = testConfig({ REDIS_URL: redis.url, INGEST_JOB_BATCH_SIZE: '100', INGEST_RETRY_AFTER_SECONDS: '9' });
      const api = await startPipeline(config, { worker: false });
      const direct = new Redis(redis.url);
      const post = (batch: Record<string, unknown>[]) => http(api.api.getHttpServer()).post('/v1/logs').send(batch);
      const oomCount = async () => Number(/^errorstat_OOM:count=(\d+)/m.exec(await direct.info('errorstats'))?.[1] ?? 0);
      try {
        const queue = api.api.get<Queue<IngestJobData>>(getQueueToken(INGEST_QUEUE));
        const acceptedIds: string[] = [];
        const accept = async (batch: Record<string, unknown>[]) => {
          const res = await post(batch);
          if (res.status === 202) acceptedIds.push(...batch.map((r) => r.requestId as string));
          return res;
        };

        // Redis itself refuses: ingest's byte budget (90% of maxmemory) normally answers first, so Redis is
        // pushed past its ceiling behind the producer's back — right after a request refreshed the
        // producer's memory reading (cached ~250 ms) — and the next request reaches Redis's OOM answer.
        let redisRefusal: Awaited<ReturnType<typeof post>> | undefined;
        for (let attempt = 0; attempt < 10 && !redisRefusal; attempt++) {
          expect((await accept(makeRecords(100))).status).toBe(202);
          // Values until Redis refuses one: it is then within a value's size of maxmemory (a value's bytes count
          // while it is being read, so a big value is refused before it is stored). Half a megabyte, then
          // smaller steps, so the margin left is below what one batch's enqueue needs however the ceiling
          // fell between the half-megabyte values.
          const fillers: string[] = [];
          for (const bytes of [MB / 2, MB / 16, MB / 128]) {
            for (let n = 0; n < 32; n++) {
              const key = `filler:${fillers.length}`;
              if (
                !(await direct.set(key, 'x'.repeat(bytes)).then(
                  () => true,
                  () => false,
                ))
              )
                break;
              fillers.push(key);
            }
          }
          const before = await oomCount();
          const res = await accept(makeRecords(100));
          if (res.status === 503 && (await oomCount()) > before) redisRefusal = res;
          if (fillers.length > 0) await direct.del(...fillers);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        expect(redisRefusal?.headers['retry-after']).toBe('9');
        expect(redisRefusal!.body).toEqual({ error: 'service_unavailable', message: expect.any(String), details: { retry_after: 9 } });

        // Filling it through ingest: the byte budget (or Redis, for a request that overshoots it) answers 503.
        let refused: Awaited<ReturnType<typeof post>> | undefined;
        // 1000 records per request: 10 jobs in one transaction, ~0.2 MB in Redis.
        for (let i = 0; i < 100 && !refused; i++) {
          const res = await accept(makeRecords(1000));
          if (res.status !== 202) refused = res;
        }
        expect(refused?.status).toBe(503);
        expect(refused!.headers['retry-after']).toBe('9');
        expect(refused!.body).toMatchObject({ error: 'service_unavailable', details: { retry_after: 9 } });
        expect(acceptedIds.length).toBeGreaterThan(0);

        // Nothing half-enqueued: the queue holds exactly the jobs and records of the 202s.
        const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
        expect(jobs.length).toBe(acceptedIds.length / 100);
        expect(jobs.reduce((sum, job) => sum + jobRecordCount(job.data), 0)).toBe(acceptedIds.length);

        // At the ceiling the worker could not move jobs either (BullMQ's scripts write first): the
        // operator raises it, and every accepted record is stored, once.
        await direct.config('SET', 'maxmemory', '64mb');
        const withWorker = await startPipeline(config);
        try {
          await waitUntilStored(withWorker.db, acceptedIds, 60_000);
          const counts = await rowCounts(withWorker.db, acceptedIds);
          expect([...counts.values()].every((n) => n === 1)).toBe(true);
        } finally {
          await withWorker.close();
        }
      } finally {
        direct.disconnect();
        await api.close();
        await redis.destroy();
      }
    },
    120_000,
  );

  it('a stored batch leaves no completed job holding its records in Redis', async () => {
    const config = testConfig();
    const pipeline = await startPipeline(config);
    const redis = new Redis(config.redis.url);
    try {
      const batch = makeRecords(50);
      await http(pipeline.api.getHttpServer()).post('/v1/logs').send(batch).expect(202);
      await waitUntilStored(
        pipeline.db,
        batch.map((r) => r.requestId as string),
      );
      const queue = pipeline.api.get<Queue<IngestJobData>>(getQueueToken(INGEST_QUEUE));
      await waitForDrainedQueue(queue);
      expect(await queue.getJobCounts('completed')).toEqual({ completed: 0 });
      // No hash under the queue's prefix (job hashes hold `data`) carries any of the records.
      const keys = await redis.keys(`${config.redis.keyPrefix}:*`);
      const hashValues: string[] = [];
      for (const key of keys) if ((await redis.type(key)) === 'hash') hashValues.push(...(await redis.hvals(key)));
      expect(hashValues.filter((value) => batch.some((r) => value.includes(r.requestId as string)))).toEqual([]);
    } finally {
      redis.disconnect();
      await pipeline.close();
    }
  });

  it('a 202 survives a kill -9 of Redis: the batch is stored once Redis and a worker are back', async () => {
    const redis = await DisposableRedis.start();
    const config = testConfig({ REDIS_URL: redis.url });
    const api = await startPipeline(config, { worker: false });
    try {
      const batch = makeRecords(20);
      await http(api.api.getHttpServer()).post('/v1/logs').send(batch).expect(202);
      await redis.kill();
      await redis.restart();
      const withWorker = await startPipeline(config);
      try {
        await waitUntilStored(
          withWorker.db,
          batch.map((r) => r.requestId as string),
        );
      } finally {
        await withWorker.close();
      }
    } finally {
      await api.close();
      await redis.destroy();
    }
  });
});
