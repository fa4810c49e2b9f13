import { http } from './support/http.js';
import { makeRecords } from './support/factories.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { DisposableRedis } from './support/redis-server.js';
import { testConfig } from './support/test-env.js';

describe('Redis outage', () => {
  let redis: DisposableRedis;
  let pipeline: Pipeline;
  beforeAll(async () => {
    redis = await DisposableRedis.start();
    pipeline = await startPipeline(testConfig({ REDIS_URL: redis.url, INGEST_RETRY_AFTER_SECONDS: '7' }), { worker: false });
  });
  afterAll(async () => {
    await pipeline.close();
    await redis.kill();
  });

  it('answers ingest with 503 + Retry-After within a second while Redis is down, and recovers after', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).post('/v1/logs').send(makeRecords(3)).expect(202);

    await redis.kill();
    const started = Date.now();
    const res = await http(server).post('/v1/logs').send(makeRecords(3));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.body).toEqual({ error: 'service_unavailable', message: expect.any(String), details: { retry_after: 7 } });
    expect(elapsed).toBeLessThan(1000);

    const ready = await http(server).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toBe('service_unavailable');
    expect(ready.body.details.error).toHaveProperty('redis');
    expect(ready.headers['retry-after']).toBeDefined();

    await redis.restart();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 202) {
      status = (await http(server).post('/v1/logs').send(makeRecords(1))).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);
  });
});
