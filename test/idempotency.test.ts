import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { http } from './support/http.js';
import { validateRecord } from '#libs/access-log';
import { LogWriterProcessor } from '#libs/log-writer';
import type { IngestJobData } from '#libs/queue';
import { makeRecord, makeRecords } from './support/factories.js';
import { Pipeline, rowCounts, startPipeline, waitUntilStored } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('at-least-once delivery stores each record once', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
  });
  afterAll(() => pipeline.close());

  it('stores a batch posted twice once', async () => {
    const records = makeRecords(30);
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send(records).expect(202);
    await http(server).post('/v1/logs').send(records).expect(202);
    const ids = records.map((r) => r.requestId as string);
    await waitUntilStored(pipeline.db, ids);
    // Both jobs must be done before counting, or the second could still be in flight.
    await waitForIdleQueue(pipeline);
    const counts = await rowCounts(pipeline.db, ids);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('stores a job processed twice (a redelivery) once, and reports the second run as duplicates', async () => {
    const processor = pipeline.worker!.get(LogWriterProcessor);
    const records = [makeRecord(), makeRecord(), makeRecord()].map((r) => {
      const result = validateRecord(r, { maxFutureSkewSeconds: 60, maxAgeDays: 1 });
      if (!result.ok) throw new Error('factory record invalid');
      return result.record;
    });
    const job = { id: randomUUID(), data: { records, receivedAt: new Date().toISOString(), source: 'http' } } as Job<IngestJobData>;
    expect(await processor.process(job)).toEqual({ inserted: 3, duplicates: 0, deadLettered: 0, conflicting: 0 });
    // The redelivery inserts nothing, and the rollups it would feed get nothing either.
    expect(await processor.process(job)).toEqual({ inserted: 0, duplicates: 3, deadLettered: 0, conflicting: 0 });
    const counts = await rowCounts(
      pipeline.db,
      records.map((r) => r.requestId),
    );
    expect([...counts.values()]).toEqual([1, 1, 1]);
  });

  it('stores a record repeated inside one batch once', async () => {
    const record = makeRecord();
    await http(pipeline.api.getHttpServer())
      .post('/v1/logs')
      .send([record, record, record])
      .expect(202, { accepted: 3, rejected: [], rejectedCount: 0 });
    await waitUntilStored(pipeline.db, [record.requestId as string]);
    await waitForIdleQueue(pipeline);
    expect((await rowCounts(pipeline.db, [record.requestId as string])).get(record.requestId as string)).toBe(1);
  });
});

async function waitForIdleQueue(pipeline: Pipeline): Promise<void> {
  const { getQueueToken } = await import('@nestjs/bullmq');
  const { INGEST_QUEUE } = await import('#libs/queue');
  const queue = pipeline.api.get(getQueueToken(INGEST_QUEUE));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
    if (counts.waiting + counts.active + counts.delayed === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('queue did not drain');
}
