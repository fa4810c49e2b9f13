import { anonymousHttp, http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { sampleSum } from './support/metrics-text.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { DisposableRedis } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

describe('/metrics while Redis is away', () => {
  let redis: DisposableRedis;
  let pipeline: Pipeline;
  beforeAll(async () => {
    redis = await DisposableRedis.start();
    // The api only: a BullMQ worker cannot close while its Redis is gone. The worker serves the same
    // queue gauges through the same code, with the 500 ms bound on a connection that waits instead.
    pipeline = await startPipeline(testConfig({ REDIS_URL: redis.url }), { worker: false });
  });
  afterAll(async () => {
    await pipeline.close();
    await redis.destroy();
  });

  it('still answers, reporting the queue unreachable, and counts the refused records', async () => {
    const server = pipeline.api.getHttpServer();
    const up = await anonymousHttp(server).get('/metrics').expect(200);
    expect(sampleSum(up.text, 'verilock_ingest_queue_reachable')).toBe(1);
    expect(sampleSum(up.text, 'verilock_ingest_queue_jobs', { state: 'waiting' })).toBe(0);

    await redis.kill();
    await http(server).post('/v1/logs').send(makeRecords(4)).expect(503);
    const api = await anonymousHttp(server).get('/metrics').expect(200);
    expect(sampleSum(api.text, 'verilock_ingest_queue_reachable')).toBe(0);
    expect(api.text).not.toMatch(/^verilock_ingest_queue_jobs\{/m);
    expect(api.text).toContain('process_cpu_seconds_total');
    expect(sampleSum(api.text, 'verilock_ingest_records_rejected_total', { reason: 'queue_unavailable' })).toBe(4);
    expect(sampleSum(api.text, 'verilock_ingest_records_accepted_total')).toBe(0);

    // ...and recovers (which also lets the queue's connection close cleanly in afterAll).
    await redis.restart();
    await waitUntilReachable(pipeline);
  });
});

/** Polls the queue gauge until Redis answers again (fails after 15 s). */
async function waitUntilReachable(pipeline: Pipeline): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await anonymousHttp(pipeline.api.getHttpServer()).get('/metrics').expect(200);
    if (sampleSum(res.text, 'verilock_ingest_queue_reachable') === 1) return;
    if (Date.now() > deadline) throw new Error('the queue did not become reachable again');
    await new Promise((r) => setTimeout(r, 100));
  }
}
