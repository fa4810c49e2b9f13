import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createWorkerApp } from '../apps/worker/src/create-worker-app.js';
import { INGEST_QUEUE } from '#libs/queue';
import { http } from './support/http.js';
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
      await waitUntilStored(pipeline.db, accepted.flat().map((r) => r.requestId as string));
      const later = makeRecords(10);
      await http(server).post('/v1/logs').send(later).expect(202);
      await waitUntilStored(pipeline.db, later.map((r) => r.requestId as string));
    } finally {
      await worker.close();
    }
  });
});
