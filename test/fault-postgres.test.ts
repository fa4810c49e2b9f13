import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ApiKeyRepository } from '#libs/auth';
import { INGEST_QUEUE } from '#libs/queue';
import { anonymousHttp } from './support/http.js';
import { assertDerivedCountsExact, waitForDrainedQueue, waitForRowCount } from './support/derived-counts.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { DisposablePostgres } from './support/postgres-server.js';
import { testConfig } from './support/test-env.js';

describe('fault: Postgres goes away for a few seconds during ingest', () => {
  let postgres: DisposablePostgres;
  let pipeline: Pipeline;
  beforeAll(async () => {
    postgres = await DisposablePostgres.start();
    // Backoff 200 ms doubling, 20 attempts: a batch keeps retrying for minutes, far longer than the outage.
    pipeline = await startPipeline(
      testConfig({ DATABASE_URL: postgres.url, JOB_BACKOFF_MS: '200', JOB_ATTEMPTS: '20', INGEST_JOB_BATCH_SIZE: '500' }),
    );
  }, 60_000);
  afterAll(async () => {
    await pipeline?.close();
    postgres?.destroy();
  });

  it('retries with backoff and loses nothing: every record stored once, counted once', async () => {
    const apiKeyId = `fault-pg-${randomUUID()}`;
    const server = pipeline.api.getHttpServer();
    const queue = pipeline.api.get<Queue>(getQueueToken(INGEST_QUEUE));
    const ids: string[] = [];
    // A real key (not the bootstrap one): verified once, it keeps working while Postgres is away.
    const { key } = await pipeline.api.get(ApiKeyRepository).create('fault-pg shipper', ['logs:write']);
    const post = async () => {
      const batch = makeRecords(2000, { apiKeyId });
      await anonymousHttp(server).post('/v1/logs').set('X-API-Key', key).send(batch).expect(202);
      ids.push(...batch.map((r) => r.requestId as string));
    };
    await post();
    await waitForRowCount(pipeline.db, apiKeyId, 500, 20_000);
    postgres.stop();
    const stoppedAt = Date.now();
    // Ingest keeps accepting (it needs only Redis and the key verified before) while the writer fails and retries.
    for (let i = 0; i < 4; i++) await post();
    await new Promise((r) => setTimeout(r, Math.max(0, 3000 - (Date.now() - stoppedAt))));
    const failedWhileDown = await queue.getDelayedCount();
    postgres.startServer();
    const outageMs = Date.now() - stoppedAt;
    await post();
    await waitForRowCount(pipeline.db, apiKeyId, ids.length, 60_000);
    await waitForDrainedQueue(queue);
    const figures = await assertDerivedCountsExact({ queue, db: pipeline.db, apiKeyId, sentIds: ids });
    console.log(`[fault postgres stop] ${JSON.stringify({ ...figures, outageMs, batchesRetryingDuringOutage: failedWhileDown })}`);
    expect(failedWhileDown).toBeGreaterThan(0);
  }, 90_000);
});
