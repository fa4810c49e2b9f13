import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type request from 'supertest';
import { createWorkerApp } from '../apps/worker/src/create-worker-app.js';
import { INGEST_QUEUE } from '#libs/queue';
import { http } from './support/http.js';
import { sampleSum } from './support/metrics-text.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('backpressure: a full backlog answers 503 instead of accepting what it cannot keep', () => {
  const config = testConfig({ INGEST_MAX_BACKLOG: '3', INGEST_JOB_BATCH_SIZE: '10', INGEST_RETRY_AFTER_SECONDS: '9' });
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(config, { worker: false });
  });
  afterAll(() => pipeline.close());

  it('refuses whole batches with 503 + Retry-After while the backlog is at INGEST_MAX_BACKLOG, accepts again once drained', async () => {
    const server = pipeline.api.getHttpServer();
    const queue = pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE));
    const accepted = [makeRecords(10), makeRecords(10), makeRecords(10)];
    for (const batch of accepted) await http(server).post('/v1/logs').send(batch).expect(202);

    const refused = await http(server).post('/v1/logs').send(makeRecords(10));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('9');
    expect(refused.body).toEqual({
      error: 'service_unavailable',
      message: expect.stringContaining('backlog'),
      details: { retry_after: 9, reason: 'max_backlog', pending_batches: 3, max_backlog: 3 },
    });
    expect(await queue.getWaitingCount()).toBe(3);

    const worker = await createWorkerApp(config, ['error']);
    await worker.init();
    try {
      await waitUntilStored(
        pipeline.db,
        accepted.flat().map((r) => r.requestId as string),
      );
      const later = makeRecords(10);
      await http(server).post('/v1/logs').send(later).expect(202);
      await waitUntilStored(
        pipeline.db,
        later.map((r) => r.requestId as string),
      );
    } finally {
      await worker.close();
    }
  });
});

describe('backpressure by bytes: Redis memory past INGEST_MAX_REDIS_MEMORY_BYTES answers 503', () => {
  let pipeline: Pipeline;
  let redis: Redis;
  let budget: number;
  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL!);
    // A budget a few large bodies above what Redis holds now: the worker is not running, so they stay.
    budget = usedMemory(await redis.info('memory')) + 6 * 1024 * 1024;
    const config = testConfig({ INGEST_MAX_REDIS_MEMORY_BYTES: String(budget), INGEST_RETRY_AFTER_SECONDS: '11' });
    pipeline = await startPipeline(config, { worker: false });
  });
  afterAll(async () => {
    await pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE)).obliterate({ force: true });
    await pipeline.close();
    redis.disconnect();
  });

  it('refuses whole large bodies once the budget is reached, enqueueing nothing of them, and counts them', async () => {
    const server = pipeline.api.getHttpServer();
    const queue = pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE));
    const statuses: number[] = [];
    let refusedRecords = 0;
    let refusal: request.Response | undefined;
    for (let i = 0; i < 10; i++) {
      const body = makeRecords(7000); // ~2 MB of JSON, 7 jobs
      const res = await http(server).post('/v1/logs').send(body);
      statuses.push(res.status);
      if (res.status === 503) {
        refusal ??= res;
        refusedRecords += body.length;
      }
    }
    const accepted = statuses.filter((s) => s === 202).length;
    expect(accepted).toBeGreaterThan(0);
    // Once refused, refused until something drains: no 202 after the first 503, and no other status.
    expect(statuses).toEqual([...Array(accepted).fill(202), ...Array(10 - accepted).fill(503)]);
    expect(refusal!.headers['retry-after']).toBe('11');
    expect(refusal!.body).toEqual({
      error: 'service_unavailable',
      message: expect.stringContaining('bytes'),
      details: { retry_after: 11, reason: 'max_redis_memory', redis_used_memory_bytes: expect.any(Number), max_redis_memory_bytes: budget },
    });
    expect(refusal!.body.details.redis_used_memory_bytes).toBeGreaterThanOrEqual(budget);
    // Nothing partially enqueued: exactly the jobs of the accepted bodies are waiting.
    expect(await queue.getWaitingCount()).toBe(accepted * 7);
    const metrics = (await http(server).get('/metrics').expect(200)).text;
    expect(sampleSum(metrics, 'verilock_ingest_records_rejected_total', { reason: 'backlog_full' })).toBe(refusedRecords);
  });
});

function usedMemory(info: string): number {
  return Number(/^used_memory:(\d+)/m.exec(info)![1]);
}
